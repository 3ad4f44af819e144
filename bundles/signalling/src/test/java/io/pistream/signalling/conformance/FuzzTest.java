package io.pistream.signalling.conformance;

import static org.awaitility.Awaitility.await;
import static io.pistream.signalling.conformance.TestClient.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.junit.jupiter.api.Test;

import io.pistream.signalling.internal.jetty.SignallingSettings;
import io.pistream.signalling.internal.router.SignallingLimits;
import io.pistream.signalling.testing.FuzzClient;
import io.pistream.signalling.testing.TestAccessControl;

/**
 * A short fuzz run against the real server: {@value #MESSAGES} malformed, random, forged and oversize messages from
 * {@value #FUZZERS} authenticated clients at once (some frames broken at the WebSocket level too), and
 * {@value #UNAUTHENTICATED} handshakes without valid credentials, while a producer and a consumer keep exchanging
 * messages. It fails if the pair stops getting its messages in time, if an event of the router throws or its thread
 * dies, if a handshake without credentials is not refused with 401, or if the heap keeps what the fuzz left.
 *
 * <p>The message rate is raised here so that the fuzz reaches the parser and the router instead of being dropped at
 * the door; the rate limit itself is {@link LimitsTest}'s. Every other limit is the shipped default.
 */
class FuzzTest {

    static final int MESSAGES = 100_000;
    static final int FUZZERS = 4;
    static final int UNAUTHENTICATED = 1_000;
    /** Connections that attempt the unauthenticated handshakes at once. */
    static final int UNAUTHENTICATED_AT_ONCE = 2;

    private static final String[] TOKENS = {TestAccessControl.TALK_TOKEN, TestAccessControl.VIEWER_TOKEN,
        TestAccessControl.TALK_ONLY_TOKEN};

    private final AtomicLong sent = new AtomicLong();
    private final FuzzClient.Tally tally = new FuzzClient.Tally();
    private final LongAdder refusedHandshakes = new LongAdder();

    @Test
    void fuzz() throws Exception {
        SignallingLimits limits = SignallingLimits.defaults().withMessageRate(1_000_000, 1_000_000);
        SignallingSettings settings = SignallingSettings.defaults().withLimits(limits);
        long seed = System.nanoTime();
        try (TestServer server = TestServer.start(settings)) {
            URI uri = server.ws("/signalling");
            long heapBefore = HeapProbe.usedAfterGc();
            GoodPair pair = LimitsTest.goodPair(uri);
            String goodProducer = server.endpoint().router().peers().get(0).id();
            TestClient decoy = TestClient.connect(uri); // a producer the fuzzers may pester with sessions
            decoy.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'decoy'}}");
            decoy.expectNothing();
            Thread drainDecoy = drain(decoy);
            long start = System.nanoTime();
            ExecutorService threads = Executors.newFixedThreadPool(FUZZERS + 1 + UNAUTHENTICATED_AT_ONCE);
            try (HeapProbe heap = HeapProbe.start()) {
                pair.start();
                List<Future<?>> work = new java.util.ArrayList<>();
                for (int i = 0; i < FUZZERS; i++) {
                    long fuzzerSeed = seed + i;
                    String token = TOKENS[i % TOKENS.length];
                    work.add(threads.submit(() -> {
                        fuzzer(uri, token, new Random(fuzzerSeed), MESSAGES / FUZZERS,
                                List.of(goodProducer, decoy.id()), limits);
                        return null;
                    }));
                }
                work.add(threads.submit(() -> {
                    brokenFrames(server.port(), new Random(seed - 1), 200);
                    return null;
                }));
                for (int i = 0; i < UNAUTHENTICATED_AT_ONCE; i++) {
                    Random random = new Random(seed - 2 - i);
                    work.add(threads.submit(() -> {
                        unauthenticated(server.port(), random, UNAUTHENTICATED / UNAUTHENTICATED_AT_ONCE);
                        return null;
                    }));
                }
                for (Future<?> done : work) {
                    done.get(5, TimeUnit.MINUTES);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Thread.sleep(300); // the pair goes on after the fuzz
                pair.close();
                drainDecoy.interrupt();

                // every fuzzer is gone; the pair and the decoy remain
                await().atMost(Duration.ofSeconds(10)).until(() -> server.endpoint().router().peers().size() <= 3);
                long heapAfter = HeapProbe.usedOnceReleased(heapBefore, 16 << 20, "the fuzz left %s on the heap");
                var router = server.endpoint().router();
                System.out.printf("fuzz (seed %d): %,d messages from %d clients over %,d connections in %.1f s"
                        + " (%,.0f/s); %,d unauthenticated handshakes refused%n", seed, sent.get(), FUZZERS,
                        tally.connections.sum(), seconds, sent.get() / seconds, refusedHandshakes.sum());
                System.out.printf("fuzz refusals: server %s, %,d unparseable dropped; clients got %,d replies of which"
                        + " %,d errors, closes by code %s%n", server.endpoint().refusals(), router.unparseableCount(),
                        tally.received.sum(), tally.errors.sum(), tally.closesByCode());
                System.out.printf("fuzz good pair: %s; heap %s before, %s peak (garbage included), %s after,"
                        + " of %s%n", pair.summary(),
                        HeapProbe.mib(heapBefore), HeapProbe.mib(heap.peak()), HeapProbe.mib(heapAfter),
                        HeapProbe.mib(HeapProbe.max()));

                assertNull(pair.failure(), "the good pair kept working");
                assertTrue(pair.roundTrips() >= 20, "round trips: " + pair.roundTrips());
                assertTrue(router.running(), "the router thread is alive");
                assertEquals(0, router.failedEventCount(), "no router event threw");
                assertEquals(3, router.peers().size(), "only the pair and the decoy are left");
                assertTrue(sent.get() >= MESSAGES, "sent " + sent.get());
                assertEquals(UNAUTHENTICATED, refusedHandshakes.sum());
                assertTrue(router.unparseableCount() > MESSAGES / 10, "the fuzz reached the parser");
                assertTrue(tally.errors.sum() > 0 && server.endpoint().refusals().total() > 0);
            } finally {
                threads.shutdownNow();
                decoy.abort();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // the fuzzers

    /** Sends {@code count} fuzz messages over as many connections as it takes (oversize ones close it). */
    private void fuzzer(URI uri, String token, Random random, int count, List<String> peers,
            SignallingLimits limits) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        FuzzClient client = null;
        for (int i = 0; i < count; i++) {
            if (client == null || client.closed.isDone()) {
                client = FuzzClient.open(http, uri, "Bearer " + token, tally);
            }
            boolean ok;
            if (random.nextInt(20) == 0) {
                ok = client.sendBinary(randomBytes(random, random.nextInt(2000)));
            } else {
                ok = client.send(message(random, peers, limits));
            }
            sent.incrementAndGet();
            if (!ok) {
                client.closed.get(10, TimeUnit.SECONDS);
            }
        }
        if (client != null) {
            client.socket().abort();
        }
    }

    /** One message of the fuzz: mostly malformed or wrong, some valid, a few oversize. */
    private static String message(Random random, List<String> peers, SignallingLimits limits) {
        String peer = random.nextInt(4) == 0 ? peers.get(random.nextInt(peers.size())) : UUID.randomUUID().toString();
        String session = UUID.randomUUID().toString();
        switch (random.nextInt(20)) {
            case 0:
            case 1:
            case 2: { // random characters, any of them
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(300);
                for (int i = 0; i < length; i++) {
                    int c = random.nextInt(4) == 0 ? random.nextInt(0xD800) : 32 + random.nextInt(95);
                    text.append((char) c);
                }
                return text.toString();
            }
            case 3:
            case 4: { // a valid message cut short, or with junk after it
                String valid = valid(random, peer, session);
                return random.nextBoolean() ? valid.substring(0, random.nextInt(valid.length()))
                        : valid + "}]\"x".charAt(random.nextInt(4));
            }
            case 5: // JSON that is no object
                return List.of("[]", "null", "42", "\"list\"", "true", "[{\"type\":\"list\"}]", "{}", "{\"type\":{}}")
                        .get(random.nextInt(8));
            case 6: // a type that does not exist, the server's own, or a server message
                return q(List.of("{'type':'newPeer'}", "{'type':'welcome','peerId':'x'}", "{'type':'error','details':1}",
                        "{'type':'" + Long.toString(random.nextLong(), 36) + "'}", "{'type':null}",
                        "{'type':'list','type':'list'}").get(random.nextInt(6)));
            case 7: // required fields missing or mistyped
                return q(List.of("{'type':'setPeerStatus'}", "{'type':'setPeerStatus','roles':'producer'}",
                        "{'type':'setPeerStatus','roles':['root']}", "{'type':'startSession'}",
                        "{'type':'startSession','peerId':7}",
                        "{'type':'peer','sessionId':'" + session + "'}",
                        "{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c','sdpMLineIndex':-1}}",
                        "{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c','sdpMLineIndex':1e99}}",
                        "{'type':'peer','sessionId':'" + session + "','sdp':{'type':'rollback','sdp':''}}",
                        "{'type':'endSession','sessionId':[]}", "{'type':'setProtocolVersion','version':'v9'}")
                        .get(random.nextInt(11)));
            case 8: // nesting and numbers past what the parser takes
                return q("{'type':'setPeerStatus','roles':[],'meta':") + "[".repeat(100 + random.nextInt(5000))
                        + (random.nextBoolean() ? "" : "]".repeat(100)) + "}";
            case 9: { // a status with forged, odd or oversize meta, any roles
                String[] metas = {"null", "{'pistream-user':'device','name':'me'}", "'a string'", "[1,2,3]",
                    "{'name':'" + "n".repeat(random.nextInt(2 * limits.maxMetaBytes())) + "'}",
                    "{'name':'\\u0000\\ud800<script>'}"};
                String[] roles = {"[]", "['producer']", "['consumer']", "['listener']", "['listener','producer']",
                    "['producer','consumer']", "['listener','listener','listener']"};
                return q("{'type':'setPeerStatus','roles':" + roles[random.nextInt(roles.length)] + ",'meta':"
                        + metas[random.nextInt(metas.length)] + "}");
            }
            case 10:
            case 11: // sessions with anyone, including the pair's producer and the decoy
                return q("{'type':'startSession','peerId':'" + peer + "'" + (random.nextBoolean() ? ""
                        : ",'offer':'v=0\\r\\n" + "a=x\\r\\n".repeat(random.nextInt(200)) + "'") + "}");
            case 12: // an oversize message: the connection is closed (1009)
                if (random.nextInt(50) == 0) {
                    return "{\"type\":\"list\",\"pad\":\"" + "x".repeat(limits.maxMessageSize()) + "\"}";
                }
                return q("{'type':'list'}");
            case 13: { // a large but allowed SDP for a session that does not exist
                return q("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'offer','sdp':'")
                        + "v=0\\r\\n".repeat(random.nextInt(8000)) + q("'}}");
            }
            default:
                return valid(random, peer, session);
        }
    }

    private static String valid(Random random, String peer, String session) {
        return q(List.of("{'type':'list'}", "{'type':'listConsumers'}",
                "{'type':'setProtocolVersion','version':'v1_1'}",
                "{'type':'endSession','sessionId':'" + session + "'}",
                "{'type':'endSessionV1_1','sessionId':'" + session + "','error':'x'}",
                "{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c','sdpMLineIndex':0,'sdpMid':'0'}}",
                "{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer','sdp':'v=0'}}",
                "{'type':'startSession','peerId':'" + peer + "','offer':null}",
                "{'type':'setPeerStatus','roles':['listener'],'meta':{'name':'fuzz'}}").get(random.nextInt(9)));
    }

    /** Frames broken below the protocol: bad UTF-8, stray continuations, reserved opcodes and bits. */
    private void brokenFrames(int port, Random random, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            try (RawClient raw = new RawClient(port, "/signalling", 65536)) {
                tally.connections.increment();
                raw.readText(); // welcome
                int[] firstBytes = {0x81, 0x80, 0x83, 0x8B, 0xC1, 0x01, 0x82};
                raw.sendFrame(firstBytes[random.nextInt(firstBytes.length)], randomBytes(random, 1 + random.nextInt(200)));
                // never UTF-8: the connection ends here if the frame before did not end it
                raw.sendFrame(0x81, new byte[] {(byte) 0xFF});
                sent.addAndGet(2);
                raw.drainUntilClosed(5000);
            }
        }
    }

    /** Handshakes without valid credentials: each must be refused with 401. */
    private void unauthenticated(int port, Random random, int count) throws IOException {
        String[] paths = {"/", "/signalling", "/signalling/x", "/?token=nope", "/signalling?token="};
        String[] tokens = {null, "", "nope", TestAccessControl.TALK_TOKEN + "x", "Basic dGVzdGVy", "\u00e9"};
        for (int i = 0; i < count; i++) {
            String token = tokens[random.nextInt(tokens.length)];
            String answer = AuthenticationTest.rawHandshake(port, paths[random.nextInt(paths.length)], token);
            if (!answer.startsWith("HTTP/1.1 401 ")) {
                throw new AssertionError("not refused with 401: " + answer.lines().findFirst().orElse(answer));
            }
            refusedHandshakes.increment();
        }
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Reads and forgets whatever the decoy gets (it is asked for sessions all the time). */
    private static Thread drain(TestClient client) {
        Thread thread = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    client.poll(100);
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "drain-decoy");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
