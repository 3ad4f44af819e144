package io.pistream.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.pistream.signalling.testing.FuzzClient;

/**
 * Malformed, random and oversize signalling messages from authenticated clients, and handshakes without valid
 * credentials, against the running container's signalling server over WSS. Counts what was sent and how the server
 * answered; the fuzz messages follow the ideas of the signalling bundle's own FuzzTest.
 */
final class SignallingFuzz {

    /** The server's largest text message (256 KiB); one byte more and it closes the connection (1009). */
    private static final int MAX_MESSAGE_SIZE = 256 * 1024;
    /** The server's largest meta of a setPeerStatus (4 KiB). */
    private static final int MAX_META_BYTES = 4096;
    /**
     * Messages per second and connection for the paced fuzzers: just under the server's 50, so that their messages
     * reach the parser rather than being dropped by the rate limit.
     */
    private static final int PACED_PER_SECOND = 48;

    /** What one fuzz run did and how the server answered. */
    record Outcome(int unauthenticatedAttempts, Map<Integer, Long> handshakeAnswers, long messagesSent, long connections,
            long failedConnects, long repliesReceived, long errorsReceived,
            Map<Integer, Long> closesByCode, double seconds) {
        long refusedWith401() {
            return handshakeAnswers.getOrDefault(401, 0L);
        }

        long acceptedWithoutCredentials() {
            return handshakeAnswers.getOrDefault(101, 0L);
        }
    }

    private final URI uri;
    private final HttpClient http;
    /**
     * A token rather than Basic: every password login costs an Argon2id hash (19 MiB of heap), which the
     * reconnecting fuzzers would otherwise spend the fuzz on.
     */
    private final String authorization;
    private final AtomicLong sent = new AtomicLong();
    private final FuzzClient.Tally tally = new FuzzClient.Tally();
    private final LongAdder failedConnects = new LongAdder();
    /** Answers to the handshakes without credentials by HTTP status (101: accepted; -1: no answer). */
    private final Map<Integer, LongAdder> handshakeAnswers = new ConcurrentHashMap<>();

    /** {@code viewerToken} authenticates the fuzzing connections, as {@code Authorization: Bearer}. */
    SignallingFuzz(String url, Path caCertificate, String viewerToken) throws IOException {
        this.uri = URI.create(url);
        this.http = HttpClient.newBuilder().sslContext(trusting(caCertificate)).connectTimeout(Duration.ofSeconds(10))
                .build();
        this.authorization = "Bearer " + viewerToken;
    }

    /**
     * Runs {@code messages} fuzz messages from {@code pacedFuzzers} connections kept under the message rate, plus one
     * flooding connection sending as fast as it can (dropped past the rate, disconnected with 1008 at ten times it),
     * while {@code unauthenticated} handshakes without valid credentials are tried; returns when all are done.
     */
    Outcome run(int messages, int pacedFuzzers, int unauthenticated, long seed) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(pacedFuzzers + 3);
        long start = System.nanoTime();
        try {
            List<Future<?>> work = new ArrayList<>();
            // the flood takes a tenth, the paced fuzzers share the rest
            int flood = pacedFuzzers == 0 ? messages : messages / 10;
            int perFuzzer = pacedFuzzers == 0 ? 0 : (messages - flood + pacedFuzzers - 1) / pacedFuzzers;
            for (int i = 0; i < pacedFuzzers; i++) {
                Random random = new Random(seed + i);
                work.add(threads.submit(() -> {
                    fuzzer(random, perFuzzer, PACED_PER_SECOND);
                    return null;
                }));
            }
            work.add(threads.submit(() -> {
                fuzzer(new Random(seed - 1), flood, 0);
                return null;
            }));
            for (int i = 0; i < 2; i++) {
                Random random = new Random(seed - 2 - i);
                int share = unauthenticated / 2 + (i == 0 ? unauthenticated % 2 : 0);
                work.add(threads.submit(() -> {
                    unauthenticated(random, share);
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get(15, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Integer, Long> answers = new TreeMap<>();
        handshakeAnswers.forEach((code, count) -> answers.put(code, count.sum()));
        return new Outcome(unauthenticated, answers, sent.get(),
                tally.connections.sum(), failedConnects.sum(), tally.received.sum(), tally.errors.sum(),
                tally.closesByCode(), seconds);
    }

    /**
     * Sends {@code count} fuzz messages, {@code perSecond} at most (0: as fast as the socket takes them), over as
     * many connections as it takes: oversize messages and floods get a connection closed, and the fuzzer reconnects.
     */
    private void fuzzer(Random random, int count, int perSecond) throws Exception {
        FuzzClient client = null;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (client == null || client.closed.isDone()) {
                client = openOrGiveUp();
                if (client == null) {
                    return; // the server is gone: what it did until then is the result
                }
                start = System.nanoTime();
            }
            if (perSecond > 0) {
                pace(start, client.sent(), perSecond);
            }
            boolean ok = random.nextInt(20) == 0 ? client.sendBinary(randomBytes(random, random.nextInt(2000)))
                    : client.send(message(random));
            sent.incrementAndGet();
            if (!ok) {
                client.closed.get(10, TimeUnit.SECONDS);
            }
        }
        if (client != null) {
            client.socket().sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }

    /** A new fuzzing connection, or null when three attempts in a row failed (the server no longer answers). */
    private FuzzClient openOrGiveUp() throws InterruptedException {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return FuzzClient.open(http, uri, authorization, tally);
            } catch (CompletionException e) {
                failedConnects.increment();
                Thread.sleep(500);
            }
        }
        return null;
    }

    /** Waits until the connection's messages so far fit the rate, counted from when it was opened. */
    private static void pace(long startNanos, long sentOnConnection, int perSecond) throws InterruptedException {
        long due = startNanos + sentOnConnection * 1_000_000_000L / perSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    /** One fuzz message: mostly malformed or wrong, some valid, a few oversize. */
    private static String message(Random random) {
        String peer = UUID.randomUUID().toString();
        String session = UUID.randomUUID().toString();
        switch (random.nextInt(20)) {
            case 0, 1, 2 -> { // random characters, any of them (lone surrogates included)
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(300);
                for (int i = 0; i < length; i++) {
                    text.append((char) (random.nextInt(4) == 0 ? random.nextInt(0xD800) : 32 + random.nextInt(95)));
                }
                return text.toString();
            }
            case 3, 4 -> { // a valid message cut short, or with junk after it
                String valid = valid(random, peer, session);
                return random.nextBoolean() ? valid.substring(0, random.nextInt(valid.length()))
                        : valid + "}]\"x".charAt(random.nextInt(4));
            }
            case 5 -> { // JSON that is no object
                return List.of("[]", "null", "42", "\"list\"", "true", "[{\"type\":\"list\"}]", "{}", "{\"type\":{}}")
                        .get(random.nextInt(8));
            }
            case 6 -> { // a type that does not exist, or one only the server sends
                return q(List.of("{'type':'newPeer'}", "{'type':'welcome','peerId':'x'}", "{'type':'error','details':1}",
                        "{'type':'" + Long.toString(random.nextLong(), 36) + "'}", "{'type':null}",
                        "{'type':'list','type':'list'}").get(random.nextInt(6)));
            }
            case 7 -> { // required fields missing or mistyped
                return q(List.of("{'type':'setPeerStatus'}", "{'type':'setPeerStatus','roles':'producer'}",
                        "{'type':'setPeerStatus','roles':['root']}", "{'type':'startSession'}",
                        "{'type':'startSession','peerId':7}", "{'type':'peer','sessionId':'" + session + "'}",
                        "{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c','sdpMLineIndex':-1}}",
                        "{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c','sdpMLineIndex':1e99}}",
                        "{'type':'endSession','sessionId':[]}", "{'type':'setProtocolVersion','version':'v9'}")
                        .get(random.nextInt(10)));
            }
            case 8 -> { // nesting past what the parser takes
                return q("{'type':'setPeerStatus','roles':[],'meta':") + "[".repeat(100 + random.nextInt(5000))
                        + (random.nextBoolean() ? "" : "]".repeat(100)) + "}";
            }
            case 9 -> { // a status with forged, odd or oversize meta, any roles
                String[] metas = {"null", "{'pistream-user':'device','name':'me'}", "'a string'", "[1,2,3]",
                    "{'name':'" + "n".repeat(random.nextInt(2 * MAX_META_BYTES)) + "'}", "{'name':'\\u0000\\ud800'}"};
                String[] roles = {"[]", "['producer']", "['consumer']", "['listener']", "['listener','producer']",
                    "['producer','consumer']"};
                return q("{'type':'setPeerStatus','roles':" + roles[random.nextInt(roles.length)] + ",'meta':"
                        + metas[random.nextInt(metas.length)] + "}");
            }
            case 10 -> { // a session with a peer that does not exist
                return q("{'type':'startSession','peerId':'" + peer + "'" + (random.nextBoolean() ? ""
                        : ",'offer':'v=0\\r\\n" + "a=x\\r\\n".repeat(random.nextInt(200)) + "'") + "}");
            }
            case 11 -> { // now and then one byte past the largest message: the server closes the connection (1009)
                return random.nextInt(50) == 0
                        ? "{\"type\":\"list\",\"pad\":\"" + "x".repeat(MAX_MESSAGE_SIZE) + "\"}"
                        : q("{'type':'list'}");
            }
            case 12 -> { // a large but allowed SDP for a session that does not exist
                return q("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'offer','sdp':'")
                        + "v=0\\r\\n".repeat(random.nextInt(8000)) + q("'}}");
            }
            default -> {
                return valid(random, peer, session);
            }
        }
    }

    private static String valid(Random random, String peer, String session) {
        return q(List.of("{'type':'list'}", "{'type':'listConsumers'}",
                "{'type':'setProtocolVersion','version':'v1_1'}", "{'type':'endSession','sessionId':'" + session + "'}",
                "{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c','sdpMLineIndex':0,'sdpMid':'0'}}",
                "{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer','sdp':'v=0'}}",
                "{'type':'startSession','peerId':'" + peer + "','offer':null}",
                "{'type':'setPeerStatus','roles':['listener'],'meta':{'name':'fuzz'}}").get(random.nextInt(8)));
    }

    /** JSON written with single quotes, for legibility. */
    private static String q(String json) {
        return json.replace('\'', '"');
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * Waits until the signalling server lists a producer named {@code name}: the web server restarts its context for
     * each servlet that registers, so the signalling path can answer 404 for a while after the container is up.
     * Returns the server's list (JSON), which names each producer by its session's id.
     */
    String awaitProducer(String name, Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        String last = "nothing yet";
        while (System.nanoTime() < deadline) {
            CompletableFuture<String> listed = new CompletableFuture<>();
            try {
                WebSocket socket = http.newWebSocketBuilder().header("Authorization", authorization)
                        .buildAsync(uri, new WebSocket.Listener() {
                            private final StringBuilder text = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                text.append(data);
                                if (last) {
                                    if (text.indexOf("\"type\":\"list\"") >= 0) {
                                        listed.complete(text.toString());
                                    }
                                    text.setLength(0);
                                }
                                webSocket.request(1);
                                return null;
                            }
                        }).orTimeout(15, TimeUnit.SECONDS).join();
                try {
                    socket.sendText("{\"type\":\"list\"}", true).join();
                    last = listed.orTimeout(10, TimeUnit.SECONDS).join();
                    if (last.contains("\"name\":\"" + name + "\"")) {
                        return last;
                    }
                } finally {
                    socket.abort();
                }
            } catch (CompletionException e) {
                last = e.getCause() instanceof WebSocketHandshakeException refusal
                        ? "handshake answered " + refusal.getResponse().statusCode() : String.valueOf(e.getCause());
            }
            Thread.sleep(1000);
        }
        throw new IOException("no producer '" + name + "' at " + uri + " after " + patience.toSeconds() + " s; last: "
                + last);
    }

    /**
     * Handshakes without credentials, or with an empty password or token: each should be refused with 401. Wrong
     * credentials are left out on purpose: the device refuses an address with 429 for a minute after 5 failed
     * logins, which would shut out the fuzzers (on the same address) and measure the throttle instead.
     */
    private void unauthenticated(Random random, int count) {
        Base64.Encoder base64 = Base64.getEncoder();
        String[] emptyCredentials = {null, "Bearer ", "Basic " + base64.encodeToString((Container.USER + ":")
            .getBytes(StandardCharsets.UTF_8)), "Basic " + base64.encodeToString(":".getBytes(StandardCharsets.UTF_8))};
        for (int i = 0; i < count; i++) {
            String credentials = emptyCredentials[random.nextInt(emptyCredentials.length)];
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
            if (credentials != null) {
                builder.header("Authorization", credentials);
            }
            int status;
            try {
                WebSocket socket = builder.buildAsync(uri, new WebSocket.Listener() { })
                        .orTimeout(15, TimeUnit.SECONDS).join();
                socket.abort();
                status = 101;
            } catch (CompletionException e) {
                status = e.getCause() instanceof WebSocketHandshakeException refusal
                        ? refusal.getResponse().statusCode() : -1;
            }
            handshakeAnswers.computeIfAbsent(status, code -> new LongAdder()).increment();
        }
    }

    private static SSLContext trusting(Path caCertificate) throws IOException {
        try (InputStream in = Files.newInputStream(caCertificate)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("pistream-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + caCertificate, e);
        }
    }
}
