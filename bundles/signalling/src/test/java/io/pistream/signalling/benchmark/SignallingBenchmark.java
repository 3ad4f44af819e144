package io.pistream.signalling.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WebSocketListener;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pistream.signalling.conformance.TestServer;
import io.pistream.signalling.internal.jetty.SignallingSettings;
import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.internal.router.PeerConnection;
import io.pistream.signalling.internal.router.PeerIdentity;
import io.pistream.signalling.internal.router.Refusals;
import io.pistream.signalling.internal.router.SessionRouter;
import io.pistream.signalling.internal.router.SignallingLimits;
import io.pistream.signalling.testing.TestAccessControl;

/**
 * Relay throughput and memory per peer with 500 connected peers. Not a unit test (surefire does not
 * pick it up); run it by hand:
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.pistream.signalling.benchmark.SignallingBenchmark [peers] [messagesPerPair]
 * </pre>
 *
 * The server runs in a child JVM ({@code -Xmx256m}) so that its heap and RSS can be measured without
 * the clients; the clients (Jetty's WebSocket client) run in this JVM, on the same machine, so the
 * relay rate is a lower bound. A router-only figure (parse + route + encode, one thread, no network)
 * is printed first.
 */
public final class SignallingBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The server's capacity is measured, not its protection: no cap on peers, no message rate to speak of. */
    private static final SignallingLimits LIMITS = SignallingLimits.defaults().withMaxPeers(100_000)
            .withMessageRate(1_000_000, 1_000_000);
    private static final PeerIdentity USER = new PeerIdentity(TestAccessControl.TESTER, false);

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("server")) {
            serve();
            return;
        }
        int peers = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int messagesPerPair = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        routerOnly(peers / 2, 1_000_000);
        overWebSocket(peers, messagesPerPair);
    }

    // ------------------------------------------------------------------------------------------
    // the router alone

    private static void routerOnly(int pairs, int messages) throws Exception {
        MessageCodec codec = new MessageCodec();
        SessionRouter router = new SessionRouter(codec, LIMITS, new Refusals());
        AtomicLong delivered = new AtomicLong();
        PeerConnection sink = new PeerConnection() {
            @Override
            public boolean send(String text) {
                delivered.incrementAndGet();
                return true;
            }

            @Override
            public void close() {
            }
        };
        List<String> sessions = new ArrayList<>();
        List<String> producers = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String p = "p" + i;
            String c = "c" + i;
            router.connect(p, sink, USER);
            router.connect(c, sink, USER);
            router.handle(p, codec.parse("{\"type\":\"setPeerStatus\",\"roles\":[\"producer\"],\"meta\":{\"name\":\"cam\"}}"));
            router.handle(c, codec.parse("{\"type\":\"startSession\",\"peerId\":\"" + p + "\"}"));
            producers.add(p);
            sessions.add(router.sessionInfos().get(i).id());
        }
        for (int round = 0; round < 2; round++) { // the first round warms up
            long before = delivered.get();
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                int pair = i % pairs;
                String text = "{\"type\":\"peer\",\"sessionId\":\"" + sessions.get(pair)
                        + "\",\"ice\":{\"candidate\":\"candidate:1 1 UDP 2015363327 192.168.1.5 40002 typ host\","
                        + "\"sdpMLineIndex\":0}}";
                router.handle(producers.get(pair), codec.parse(text));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (round == 1) {
                System.out.printf("router only (parse + route + encode, 1 thread): %,.0f msg/s (%d relayed)%n",
                        (delivered.get() - before) / seconds, delivered.get() - before);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // over WebSocket, server in a child JVM

    private static void overWebSocket(int peers, int messagesPerPair) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC"));
        // e.g. -Dbenchmark.serverOptions="-Xms256m -XX:+AlwaysPreTouch" to keep heap growth out of the RSS delta
        String extra = System.getProperty("benchmark.serverOptions", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SignallingBenchmark.class.getName(),
                "server"));
        System.out.println("server JVM options: " + command.subList(1, command.size() - 4));
        Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader fromServer = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter toServer = new PrintWriter(child.getOutputStream(), true, StandardCharsets.UTF_8);
        int port = Integer.parseInt(fromServer.readLine().trim());
        URI uri = URI.create("ws://127.0.0.1:" + port + "/signalling");

        WebSocketClient client = new WebSocketClient();
        client.getPolicy().setMaxTextMessageSize(1 << 20);
        client.start();
        try {
            // warm up the server's classes and buffers, then take the baseline
            List<Peer> warm = connect(client, uri, 20);
            warm.forEach(Peer::close);
            Thread.sleep(500);
            long[] base = stats(toServer, fromServer);

            long start = System.nanoTime();
            List<Peer> all = connect(client, uri, peers);
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            int pairs = peers / 2;
            List<Peer> producers = all.subList(0, pairs);
            List<Peer> consumers = all.subList(pairs, 2 * pairs);
            for (Peer p : producers) {
                p.send("{\"type\":\"setPeerStatus\",\"roles\":[\"producer\"],\"meta\":{\"name\":\"camera " + p.id + "\"}}");
            }
            for (Peer c : consumers) {
                c.send("{\"type\":\"setPeerStatus\",\"roles\":[\"listener\"],\"meta\":{\"name\":\"viewer " + c.id + "\"}}");
            }
            // every consumer is a listener, like a browser: let the registrations settle
            for (Peer c : all) {
                c.send("{\"type\":\"list\"}");
                c.awaitType("list");
            }
            Thread.sleep(1000);
            all.forEach(p -> p.inbox.clear());
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                Peer c = consumers.get(i);
                c.send("{\"type\":\"startSession\",\"peerId\":\"" + producers.get(i).id + "\"}");
                sessions.add(c.awaitType("sessionStarted").get("sessionId").asText());
                producers.get(i).awaitType("startSession");
            }
            long[] connected = stats(toServer, fromServer);
            System.out.printf("%d peers connected in %.2f s, %d sessions%n", peers, connectSeconds, pairs);
            System.out.printf("server heap after GC: %.1f MiB -> %.1f MiB: %.1f KiB per peer%n", base[0] / 1048576.0,
                    connected[0] / 1048576.0, (connected[0] - base[0]) / 1024.0 / peers);
            System.out.printf("server RSS: %.1f MiB -> %.1f MiB: %.1f KiB per peer%n", base[1] / 1024.0,
                    connected[1] / 1024.0, (connected[1] - base[1]) / (double) peers);

            for (int round = 0; round < 2; round++) { // the first round warms up
                for (Peer c : consumers) {
                    c.received.set(0);
                }
                long total = (long) pairs * messagesPerPair;
                long t0 = System.nanoTime();
                List<Thread> senders = new ArrayList<>();
                int threads = 4;
                for (int t = 0; t < threads; t++) {
                    int first = t;
                    Thread sender = new Thread(() -> {
                        for (int m = 0; m < messagesPerPair; m++) {
                            for (int i = first; i < pairs; i += threads) {
                                producers.get(i).sendWindowed("{\"type\":\"peer\",\"sessionId\":\"" + sessions.get(i)
                                        + "\",\"ice\":{\"candidate\":\"candidate:1 1 UDP 2015363327 192.168.1.5 40002"
                                        + " typ host\",\"sdpMLineIndex\":0}}");
                            }
                        }
                    });
                    sender.start();
                    senders.add(sender);
                }
                for (Thread sender : senders) {
                    sender.join();
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                long received;
                while ((received = consumers.stream().mapToLong(c -> c.received.get()).sum()) < total
                        && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (round == 1) {
                    System.out.printf("relay over WebSocket, %d pairs: %,d messages in %.2f s = %,.0f msg/s relayed%s%n",
                            pairs, received, seconds, received / seconds, received < total ? " (INCOMPLETE)" : "");
                }
            }
            long[] after = stats(toServer, fromServer);
            System.out.printf("server heap after the relay, after GC: %.1f MiB; RSS %.1f MiB%n", after[0] / 1048576.0,
                    after[1] / 1024.0);
            all.forEach(Peer::close);
        } finally {
            client.stop();
            toServer.println("quit");
            child.waitFor(10, TimeUnit.SECONDS);
            child.destroy();
        }
    }

    private static long[] stats(PrintWriter toServer, BufferedReader fromServer) throws IOException {
        toServer.println("stats");
        String[] parts = fromServer.readLine().trim().split(" ");
        return new long[] { Long.parseLong(parts[0]), Long.parseLong(parts[1]) };
    }

    private static List<Peer> connect(WebSocketClient client, URI uri, int count) throws Exception {
        List<Peer> peers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Peer peer = new Peer();
            ClientUpgradeRequest request = new ClientUpgradeRequest();
            request.setHeader("Authorization", "Bearer " + TestAccessControl.TALK_TOKEN);
            client.connect(peer, uri, request).get(10, TimeUnit.SECONDS);
            peers.add(peer);
        }
        for (Peer peer : peers) {
            peer.id = peer.awaitType("welcome").get("peerId").asText();
        }
        return peers;
    }

    /** One benchmark client. */
    public static final class Peer implements WebSocketListener {
        final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        final AtomicLong received = new AtomicLong();
        final Semaphore window = new Semaphore(256);
        volatile Session session;
        volatile String id;

        @Override
        public void onWebSocketConnect(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String message) {
            if (message.startsWith("{\"type\":\"peer\"")) {
                received.incrementAndGet();
            } else {
                inbox.add(message);
            }
        }

        @Override
        public void onWebSocketBinary(byte[] payload, int offset, int len) {
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
        }

        @Override
        public void onWebSocketError(Throwable cause) {
        }

        void send(String text) {
            try {
                session.getRemote().sendString(text);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Asynchronous send, at most 256 in flight per peer. */
        void sendWindowed(String text) {
            window.acquireUninterruptibly();
            session.getRemote().sendString(text, new WriteCallback() {
                @Override
                public void writeSuccess() {
                    window.release();
                }

                @Override
                public void writeFailed(Throwable x) {
                    window.release();
                }
            });
        }

        JsonNode awaitType(String type) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                String text = inbox.poll(1, TimeUnit.SECONDS);
                if (text != null) {
                    JsonNode node = JSON.readTree(text);
                    if (node.path("type").asText().equals(type)) {
                        return node;
                    }
                }
            }
            throw new IllegalStateException("No " + type + " for " + id);
        }

        void close() {
            session.close();
        }
    }

    // ------------------------------------------------------------------------------------------
    // child JVM

    private static void serve() throws Exception {
        try (TestServer server = TestServer.start(SignallingSettings.defaults().withLimits(LIMITS))) {
            System.out.println(server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("quit")) {
                if (line.equals("stats")) {
                    for (int i = 0; i < 3; i++) {
                        System.gc();
                        Thread.sleep(200);
                    }
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.println(heap + " " + rssKiB());
                    System.out.flush();
                }
            }
        }
        new CountDownLatch(0).await();
    }

    private static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
