package io.pistream.webrtc.receiver.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pistream.webrtc.internal.Instance;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.internal.signaller.WebSocketConnector;

/**
 * Which producers the receiver asks for, against a scripted signalling server (no network, no media): only those
 * the server vouched for with {@code pistream-user}, that match, and that are not this device's own.
 */
class ReceiverChoiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted connection: what the receiver sends, and a way to speak as the server. */
    private static final class ScriptedServer implements WebSocketConnector, WebSocketConnector.Connection {
        final BlockingQueue<JsonNode> sent = new LinkedBlockingQueue<>();
        volatile Events events;

        @Override
        public CompletableFuture<Connection> connect(URI uri, Events connectionEvents) {
            events = connectionEvents;
            connectionEvents.onOpen(this);
            return CompletableFuture.completedFuture(this);
        }

        @Override
        public void send(String text) {
            try {
                sent.add(JSON.readTree(text));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void ping() {
        }

        @Override
        public void close() {
        }

        @Override
        public void abort() {
        }

        void says(String json) {
            events.onText(json.replace('\'', '"'));
        }

        JsonNode next() throws InterruptedException {
            JsonNode message = sent.poll(5, TimeUnit.SECONDS);
            assertTrue(message != null, "the receiver sent something");
            return message;
        }
    }

    private final ScriptedServer server = new ScriptedServer();
    private WebRtcReceiverCore receiver;

    @AfterEach
    void close() {
        if (receiver != null) {
            receiver.close();
        }
    }

    private void start(String match) throws Exception {
        receiver = new WebRtcReceiverCore(ReceiverSettings.of("test receiver", URI.create("ws://127.0.0.1:1"), match,
                new ReceiverSession.Output(ReceiverSession.VideoMode.DISCARD, Path.of("."), "mkv", 0, "fakesink",
                        ""), 2, SessionSettings.loopback(20_000)), server,
                new Signaller.Timing(60_000, 60_000, 0, 60_000), null);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.events != null);
        server.says("{'type':'welcome','peerId':'me'}");
        assertEquals("setPeerStatus", server.next().get("type").asText());
        assertEquals("list", server.next().get("type").asText());
    }

    @Test
    void onlyProducersTheServerVouchedForAreReceived() throws Exception {
        start("pistream-role=talk-back");
        server.says("{'type':'list','producers':["
                + "{'id':'forged','meta':{'name':'WebClient-1','pistream-role':'talk-back'}},"
                + "{'id':'camera','meta':{'name':'pistream','instance':'" + Instance.ID + "','pistream-role':"
                + "'talk-back','pistream-user':'device'}},"
                + "{'id':'other','meta':{'name':'WebClient-2','pistream-user':'bob'}},"
                + "{'id':'bob','meta':{'name':'WebClient-3','pistream-role':'talk-back','pistream-user':'bob'}}]}");
        JsonNode start = server.next();
        assertEquals("startSession", start.get("type").asText());
        assertEquals("bob", start.get("peerId").asText(), "the one stamped, matching, not the device's own");
        // a producer that registers later is judged the same way
        server.says("{'type':'peerStatusChanged','roles':['listener','producer'],'meta':{'name':'WebClient-4',"
                + "'pistream-role':'talk-back'},'peerId':'late-forged'}");
        server.says("{'type':'peerStatusChanged','roles':['producer'],'meta':{'name':'WebClient-5',"
                + "'pistream-role':'talk-back','pistream-user':'carol'},'peerId':'late'}");
        JsonNode late = server.next();
        assertEquals("late", late.get("peerId").asText());
        assertNull(server.sent.poll(300, TimeUnit.MILLISECONDS), "nothing else asked for");
    }

    @Test
    void theShellCannotReceiveAProducerNoServerVouchedFor() throws Exception {
        start(null);
        server.says("{'type':'list','producers':[{'id':'forged','meta':{'name':'WebClient-1'}},"
                + "{'id':'bob','meta':{'name':'WebClient-2','pistream-user':'bob'}}]}");
        await().atMost(Duration.ofSeconds(5)).until(() -> receiver.producers().size() == 2);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> receiver.receive("forged"));
        assertEquals("Producer forged has no pistream-user in its meta: no signalling server vouched for a talk user",
                refused.getMessage());
        receiver.receive("bob");
        assertEquals("bob", server.next().get("peerId").asText());
        assertEquals(List.of(), List.copyOf(server.sent));
    }
}
