package io.pistream.signalling.conformance;

import static io.pistream.signalling.conformance.TestClient.q;
import static io.pistream.signalling.conformance.TestClient.stamped;
import static io.pistream.signalling.conformance.TestClient.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.pistream.signalling.internal.jetty.SignallingSettings;
import io.pistream.signalling.internal.router.Refusals;
import io.pistream.signalling.testing.TestAccessControl;

/**
 * Who may connect and do what: the handshake is refused without an authenticated caller, before any protocol
 * message; producing needs the role talk, consuming the role viewer; the server stamps the authenticated user into
 * the meta it relays, over whatever the client claims.
 */
class AuthenticationTest extends ServerFixture {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    // ------------------------------------------------------------------------------------------
    // the handshake

    @Test
    void withoutCredentialsTheHandshakeIsRefusedWith401BeforeAnyMessage() throws Exception {
        for (String path : List.of("", "/", "/signalling", "/signalling/room")) {
            URI uri = server.ws(path);
            for (Map<String, String> headers : List.of(Map.<String, String>of(),
                    TestClient.bearer("not-a-token"), Map.of("Authorization", "Basic dGVzdGVyOnRlc3Q="))) {
                HttpResponse<String> refused = refusedHandshake(uri, headers);
                assertEquals(401, refused.statusCode(), uri + " " + headers);
                assertEquals("Bearer realm=\"pistream\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
            }
            assertEquals(401, refusedHandshake(server.ws(path.isEmpty() ? "/?token=wrong" : path + "?token=wrong"),
                    Map.of()).statusCode());
        }
        // on the wire: an HTTP answer with the reason, never a 101 and so never a WebSocket frame
        String answer = rawHandshake(server.port(), "/signalling", null);
        assertTrue(answer.startsWith("HTTP/1.1 401 "), answer);
        assertTrue(answer.contains("Authentication required"), answer);
        assertEquals(0, server.endpoint().router().peers().size());
        assertEquals(17, server.endpoint().refusals().get(Refusals.Reason.UNAUTHENTICATED));
    }

    @Test
    void aTokenInTheQueryOrTheHeaderIsAccepted() {
        for (String path : List.of("/", "/signalling")) {
            track(TestClient.connect(server.ws(path + "?token=" + TestAccessControl.VIEWER_TOKEN))).abort();
            track(TestClient.connectAs(server.ws(path), TestAccessControl.VIEWER_TOKEN)).abort();
        }
    }

    @Test
    void aCallerWithNeitherViewerNorTalkIsRefusedWith403() throws Exception {
        HttpResponse<String> refused = refusedHandshake(server.ws("/signalling"),
                TestClient.bearer(TestAccessControl.ADMIN_TOKEN));
        assertEquals(403, refused.statusCode());
        String answer = rawHandshake(server.port(), "/signalling", TestAccessControl.ADMIN_TOKEN);
        assertTrue(answer.startsWith("HTTP/1.1 403 ") && answer.contains("needs the role viewer or talk"), answer);
    }

    @Test
    void withAuthenticationOffEveryoneIsTheUncheckedCaller() throws Exception {
        try (TestServer open = TestServer.start(SignallingSettings.defaults(), TestAccessControl.off())) {
            TestClient listener = track(TestClient.open(HTTP, open.ws("/signalling"), Map.of()));
            String id = listener.next().get("peerId").asText(); // welcome
            listener.sendQ("{'type':'setPeerStatus','roles':['listener','producer'],'meta':{'name':'lab'}}");
            listener.expectQ("{'type':'peerStatusChanged','roles':['listener','producer'],'meta':"
                    + stamped("{'name':'lab'}", "anonymous") + ",'peerId':'" + id + "'}");
        }
    }

    // ------------------------------------------------------------------------------------------
    // roles

    @Test
    void aViewerCannotRegisterAsProducer() {
        TestClient listener = listener();
        TestClient viewer = connectAs(TestAccessControl.VIEWER_TOKEN);
        viewer.sendQ("{'type':'setPeerStatus','roles':['listener','producer'],'meta':{'name':'WebClient-1',"
                + "'pistream-role':'talk-back'}}");
        viewer.expectError("Peer " + viewer.id() + " (user 'alice') may not register as producer: it needs the role"
                + " talk");
        listener.expectNothing();
        listener.sendQ("{'type':'list'}");
        listener.expectQ("{'type':'list','producers':[]}");
        // it can still watch: listen, and consume a talk user's producer
        viewer.sendQ("{'type':'setPeerStatus','roles':['listener']}");
        viewer.expectQ("{'type':'peerStatusChanged','roles':['listener'],'meta':" + stamped("null", "alice")
                + ",'peerId':'" + viewer.id() + "'}");
        listener.next();
        TestClient producer = registered("['producer']", "{'name':'cam'}", listener, viewer);
        startSession(viewer, producer, producer, viewer, null);
        assertEquals(1, server.endpoint().refusals().get(Refusals.Reason.ROLE));
    }

    @Test
    void aTalkOnlyUserProducesButCannotConsume() {
        TestClient listener = listener();
        TestClient talker = connectAs(TestAccessControl.TALK_ONLY_TOKEN);
        talker.sendQ("{'type':'setPeerStatus','roles':['listener','producer'],'meta':{'name':'WebClient-2'}}");
        String changed = q("{'type':'peerStatusChanged','roles':['listener','producer'],'meta':"
                + stamped("{'name':'WebClient-2'}", "bob") + ",'peerId':'" + talker.id() + "'}");
        talker.expect(changed);
        listener.expect(changed);
        TestClient producer = registered("['producer']", "null", listener, talker);
        talker.sendQ("{'type':'startSession','peerId':'" + producer.id() + "'}");
        talker.expectError("Peer " + talker.id() + " (user 'bob') may not consume: it needs the role viewer");
        producer.expectNothing();
        // the device (here: anyone with the viewer role) consumes the talker
        TestClient device = connectAs(TestAccessControl.DEVICE_TOKEN);
        startSession(device, talker, talker, device, null);
    }

    // ------------------------------------------------------------------------------------------
    // the stamp

    @Test
    void aTalkUsersMetaIsStampedAndAForgedUserIsOverwritten() {
        TestClient listener = listener();
        TestClient talker = connectAs(TestAccessControl.TALK_ONLY_TOKEN);
        // bob claims to be the device
        talker.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'WebClient-3',"
                + "'pistream-user':'device','pistream-role':'talk-back'}}");
        String relayed = "{'name':'WebClient-3','pistream-role':'talk-back','pistream-user':'bob'}";
        listener.expectQ("{'type':'peerStatusChanged','roles':['producer'],'meta':" + relayed + ",'peerId':'"
                + talker.id() + "'}");
        listener.sendQ("{'type':'list'}");
        listener.expectQ("{'type':'list','producers':[{'id':'" + talker.id() + "','meta':" + relayed + "}]}");
        assertEquals(tree(q(relayed)), tree(server.endpoint().router().peers().stream()
                .filter(p -> p.id().equals(talker.id())).findFirst().orElseThrow().meta()));
        talker.abort();
        listener.expectQ("{'type':'peerStatusChanged','roles':[],'meta':" + relayed + ",'peerId':'" + talker.id()
                + "'}");
    }

    @Test
    void aMetaThatCannotCarryTheStampIsRefused() {
        TestClient peer = connect();
        peer.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':'cam'}");
        peer.expectError("The meta of peer " + peer.id() + " must be a JSON object or null, to carry the field"
                + " \"pistream-user\" the server adds");
    }

    // ------------------------------------------------------------------------------------------

    /** The response of a handshake the server refuses; fails if it succeeds. */
    static HttpResponse<String> refusedHandshake(URI uri, Map<String, String> headers) {
        CompletionException failure = assertThrows(CompletionException.class,
                () -> TestClient.open(HTTP, uri, headers).abort(), uri.toString());
        WebSocketHandshakeException refused = assertInstanceOf(WebSocketHandshakeException.class, failure.getCause());
        @SuppressWarnings("unchecked")
        HttpResponse<String> response = (HttpResponse<String>) refused.getResponse();
        return response;
    }

    /** The server's whole answer to an upgrade request on a plain socket, with a bearer token or none. */
    static String rawHandshake(int port, String path, String bearerToken) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade, close\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n" + (bearerToken == null ? "" : "Authorization: Bearer "
                    + bearerToken + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
