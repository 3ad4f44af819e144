package io.pistream.signalling.conformance;

import static org.awaitility.Awaitility.await;
import static io.pistream.signalling.conformance.TestClient.q;
import static io.pistream.signalling.conformance.TestClient.stamped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.signalling.PeerInfo;
import io.pistream.signalling.internal.jetty.SignallingSettings;
import io.pistream.signalling.internal.router.SignallingLimits;
import io.pistream.signalling.testing.TestAccessControl;

/**
 * The WebSocket transport: paths, plain requests, the Origin check, keep-alive, send-queue bound, TLS.
 */
class TransportTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    private static SignallingSettings defaults() {
        return SignallingSettings.defaults();
    }

    // ------------------------------------------------------------------------------------------
    // paths

    @Test
    void upgradesAreAcceptedWithNoPathAndOnSignalling() throws Exception {
        try (TestServer server = TestServer.start(defaults())) {
            for (String path : List.of("", "/", "/signalling", "/signalling/", "/signalling/room-1")) {
                TestClient client = TestClient.connect(server.ws(path));
                client.sendQ("{'type':'list'}");
                client.expectQ("{'type':'list','producers':[]}");
                client.close();
            }
            // peers on different paths talk to each other
            TestClient root = TestClient.connect(server.ws(""));
            TestClient sub = TestClient.connect(server.ws("/signalling"));
            sub.sendQ("{'type':'setPeerStatus','roles':['producer']}");
            sub.expectNothing(); // registered before the other socket goes on
            root.sendQ("{'type':'startSession','peerId':'" + sub.id() + "'}");
            assertEquals("sessionStarted", root.next().get("type").asText());
            assertEquals("startSession", sub.next().get("type").asText());
            root.abort();
            sub.abort();
        }
    }

    @Test
    void otherPathsAreNotUpgraded() throws Exception {
        try (TestServer server = TestServer.start(defaults())) {
            assertEquals(404, handshakeStatus(server.ws("/other")));
            assertEquals(404, handshakeStatus(server.ws("/signallingx")));
        }
        // with the root switched off, no path means no signalling
        try (TestServer server = TestServer.start(defaults().withPaths(List.of("/signalling")))) {
            assertEquals(404, handshakeStatus(server.ws("")));
            TestClient.connect(server.ws("/signalling")).abort();
        }
    }

    @Test
    void aPlainGetOnTheRootIsLeftToTheWebApp() throws Exception {
        try (TestServer server = TestServer.startWithWebApp(defaults())) {
            HttpResponse<String> page = get(server.http("/"));
            assertEquals(200, page.statusCode());
            assertEquals(TestServer.WEB_APP_PAGE, page.body());
            assertEquals(TestServer.WEB_APP_PAGE, get(server.http("/index.html")).body());
            // and the upgrade on the same root still reaches signalling
            TestClient.connect(server.ws("")).abort();
        }
        try (TestServer server = TestServer.start(defaults())) {
            assertEquals(404, get(server.http("/")).statusCode()); // no web app yet: not swallowed either
            HttpResponse<String> signalling = get(server.http("/signalling"));
            assertEquals(426, signalling.statusCode());
            assertEquals("websocket", signalling.headers().firstValue("Upgrade").orElse(""));
        }
    }

    @Test
    void aPlainGetOnTheRootCanBeRedirected() throws Exception {
        try (TestServer server = TestServer.start(defaults().withRootRedirect("/app/"))) {
            HttpResponse<String> response = get(server.http("/"));
            assertEquals(302, response.statusCode());
            assertTrue(response.headers().firstValue("Location").orElse("").endsWith("/app/"));
            assertEquals(404, get(server.http("/app/")).statusCode());
            TestClient.connect(server.ws("")).abort();
        }
    }

    // ------------------------------------------------------------------------------------------
    // handshake checks

    @Test
    void originCheck() throws Exception {
        SignallingSettings settings = defaults().withAllowedOrigins(List.of("https://pi.local:8443", "http://localhost:9090/"));
        try (TestServer server = TestServer.start(settings)) {
            for (String path : List.of("", "/signalling")) {
                URI uri = server.ws(path);
                TestClient.connect(HTTP, uri, authenticated("Origin", "https://pi.local:8443")).abort();
                TestClient.connect(HTTP, uri, authenticated("Origin", "HTTP://LOCALHOST:9090")).abort();
                TestClient.connect(HTTP, uri, authenticated()).abort(); // no Origin: not a browser
                assertEquals(403, handshakeStatus(uri, authenticated("Origin", "https://evil.example")));
                assertEquals(403, handshakeStatus(uri, authenticated("Origin", "https://pi.local:8444")));
                assertEquals(403, handshakeStatus(uri, authenticated("Origin", "null")));
            }
            assertEquals(0, server.endpoint().router().peers().size());
        }
        // none of its own by default: the HTTP door's check applies alone
        try (TestServer server = TestServer.start(defaults())) {
            TestClient.connect(HTTP, server.ws(""), authenticated("Origin", "https://evil.example")).abort();
        }
    }

    private static Map<String, String> authenticated(String... header) {
        Map<String, String> headers = new java.util.HashMap<>(TestClient.bearer(TestAccessControl.TALK_TOKEN));
        if (header.length == 2) {
            headers.put(header[0], header[1]);
        }
        return headers;
    }

    // ------------------------------------------------------------------------------------------
    // keep-alive, send queue

    @Test
    void silentPeersArePinged() throws Exception {
        Duration interval = Duration.ofMillis(300);
        try (TestServer server = TestServer.start(defaults().withKeepAlive(interval))) {
            long connected = System.nanoTime();
            TestClient client = TestClient.connect(server.ws("/signalling"));
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertTrue(client.pings() >= 2, "pings: " + client.pings()));
            assertTrue(client.firstPingNanos() - connected >= interval.toNanos() * 9 / 10,
                    "first ping after " + (client.firstPingNanos() - connected) / 1_000_000 + " ms");
            // pinged, not disconnected: it still works
            client.sendQ("{'type':'list'}");
            client.expectQ("{'type':'list','producers':[]}");
            client.abort();
        }
    }

    @Test
    void aPeerThatDoesNotReadIsDisconnectedWhenItsQueueOverflows() throws Exception {
        // 100 kB candidates pass the rate; about two fill the 256 KiB a client may have waiting
        SignallingSettings settings = defaults().withLimits(SignallingLimits.defaults()
                .withSendQueueBytes(256 * 1024).withMessageRate(10_000, 10_000));
        try (TestServer server = TestServer.start(settings)) {
            TestClient listener = TestClient.connect(server.ws("/signalling"));
            listener.sendQ("{'type':'setPeerStatus','roles':['listener']}");
            listener.next();
            try (RawClient stuck = new RawClient(server.port(), "/signalling", 4096)) {
                JsonNode welcome = TestClient.tree(stuck.readText());
                String stuckId = welcome.get("peerId").asText();
                stuck.sendText(q("{'type':'setPeerStatus','roles':['consumer']}"));
                listener.expectQ("{'type':'peerStatusChanged','roles':['consumer'],'meta':" + stamped("null") + ",'peerId':'" + stuckId + "'}");

                TestClient producer = TestClient.connect(server.ws("/signalling"));
                producer.sendQ("{'type':'startSession','peerId':'" + stuckId + "'}");
                String session = producer.next().get("sessionId").asText();
                String candidate = "c".repeat(100_000);
                for (int i = 0; i < 200; i++) {
                    producer.send(q("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'") + candidate
                            + q("','sdpMLineIndex':0}}"));
                }
                // removed as on disconnect: its session ends, then listeners learn it is gone
                producer.expectQ("{'type':'endSession','sessionId':'" + session + "'}");
                listener.expectQ("{'type':'peerStatusChanged','roles':[],'meta':" + stamped("null") + ",'peerId':'" + stuckId + "'}");
                assertTrue(stuck.drainUntilClosed(10_000), "the server dropped the connection");
                List<PeerInfo> peers = server.endpoint().router().peers();
                assertEquals(List.of(listener.id(), producer.id()), peers.stream().map(PeerInfo::id).toList());
                producer.expectNothing();
                producer.abort();
            }
            listener.abort();
        }
    }

    // ------------------------------------------------------------------------------------------
    // TLS

    @Test
    void wss(@TempDir Path dir) throws Exception {
        Path keyStore = dir.resolve("server.p12");
        String password = "changeit";
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertTrue(keytool.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, keytool.exitValue(), output);

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keyStore.toFile())) {
            trusted.load(in, password.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, trust.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();

        try (TestServer server = TestServer.startTls(defaults(), keyStore, password)) {
            assertTrue(server.ws("").toString().startsWith("wss://127.0.0.1:"));
            TestClient producer = TestClient.connect(https, server.ws(""), authenticated());
            TestClient consumer = TestClient.connect(https, server.ws("/signalling"), authenticated());
            producer.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'tls'}}");
            producer.expectNothing();
            consumer.sendQ("{'type':'list'}");
            consumer.expectQ("{'type':'list','producers':[{'id':'" + producer.id() + "','meta':" + stamped("{'name':'tls'}") + "}]}");
            consumer.sendQ("{'type':'startSession','peerId':'" + producer.id() + "'}");
            String session = consumer.next().get("sessionId").asText();
            producer.expectQ("{'type':'startSession','peerId':'" + consumer.id() + "','sessionId':'" + session
                    + "','offer':null}");
            producer.abort();
            consumer.expectQ("{'type':'endSession','sessionId':'" + session + "'}");
            consumer.abort();
        }
    }

    // ------------------------------------------------------------------------------------------

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int handshakeStatus(URI uri) {
        return handshakeStatus(uri, Map.of());
    }

    /** @return the HTTP status of a refused handshake; fails if the handshake succeeds */
    private static int handshakeStatus(URI uri, Map<String, String> headers) {
        CompletionException failure = assertThrows(CompletionException.class,
                () -> TestClient.open(HTTP, uri, headers).abort(), uri.toString());
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        return refused.getResponse().statusCode();
    }
}
