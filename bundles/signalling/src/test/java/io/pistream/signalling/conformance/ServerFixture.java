package io.pistream.signalling.conformance;

import static io.pistream.signalling.conformance.TestClient.q;
import static io.pistream.signalling.conformance.TestClient.stamped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.signalling.internal.jetty.SignallingSettings;

/**
 * A fresh server per test, and helpers that drive real clients through the common steps.
 */
abstract class ServerFixture {

    static final Pattern UUID_V4 =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    protected TestServer server;
    private final List<TestClient> clients = new ArrayList<>();

    /** Override to change the settings of the server under test. */
    protected SignallingSettings settings() {
        return SignallingSettings.defaults().withKeepAlive(Duration.ofSeconds(30));
    }

    @BeforeEach
    void startServer() throws Exception {
        server = TestServer.start(settings());
    }

    @AfterEach
    void stopServer() throws Exception {
        for (TestClient client : clients) {
            client.abort();
        }
        server.close();
    }

    /** A client of the user {@code tester} (viewer and talk) connected on {@code /signalling}, welcome read. */
    protected TestClient connect() {
        return track(TestClient.connect(server.ws("/signalling")));
    }

    /** A client connected on {@code /signalling} with a bearer token, welcome read. */
    protected TestClient connectAs(String token) {
        return track(TestClient.connectAs(server.ws("/signalling"), token));
    }

    protected TestClient track(TestClient client) {
        clients.add(client);
        return client;
    }

    /** A client registered as listener; its own echo is read. */
    protected TestClient listener() {
        TestClient client = connect();
        client.sendQ("{'type':'setPeerStatus','roles':['listener'],'meta':null}");
        client.expectQ("{'type':'peerStatusChanged','roles':['listener'],'meta':" + stamped("null") + ",'peerId':'"
                + client.id() + "'}");
        return client;
    }

    /**
     * A client registered with the given roles and meta (JSON text). The given listeners must receive
     * the broadcast; the client reads its own echo if it is a listener itself, then a {@code list} round
     * trip proves the registration is done before the test goes on with other sockets.
     */
    protected TestClient registered(String rolesJson, String metaJson, TestClient... listeners) {
        TestClient client = connect();
        client.send(q("{'type':'setPeerStatus','roles':" + rolesJson + ",'meta':" + metaJson + "}"));
        String changed = q("{'type':'peerStatusChanged','roles':" + rolesJson + ",'meta':" + stamped(metaJson)
                + ",'peerId':'" + client.id() + "'}");
        if (rolesJson.contains("listener")) {
            client.expect(changed);
        }
        client.expectNothing();
        for (TestClient l : listeners) {
            l.expect(changed);
        }
        return client;
    }

    /**
     * {@code from} sends {@code startSession} to {@code to}; checks {@code sessionStarted} at the
     * consumer and {@code startSession} at the producer.
     *
     * @return the session id
     */
    protected static String startSession(TestClient from, TestClient to, TestClient producer, TestClient consumer,
            String offerJson) {
        from.send(q("{'type':'startSession','peerId':'" + to.id() + "'"
                + (offerJson == null ? "" : ",'offer':" + offerJson) + "}"));
        JsonNode started = consumer.next();
        assertEquals("sessionStarted", started.path("type").asText(), started.toString());
        String sessionId = started.path("sessionId").asText();
        assertTrue(UUID_V4.matcher(sessionId).matches(), sessionId);
        assertEquals(TestClient.tree(q("{'type':'sessionStarted','peerId':'" + producer.id() + "','sessionId':'"
                + sessionId + "'}")), started);
        producer.expect(q("{'type':'startSession','peerId':'" + consumer.id() + "','sessionId':'" + sessionId
                + "','offer':" + (offerJson == null ? "null" : offerJson) + "}"));
        return sessionId;
    }
}
