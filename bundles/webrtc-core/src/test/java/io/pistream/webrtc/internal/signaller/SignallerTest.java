package io.pistream.webrtc.internal.signaller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The protocol client against a scripted server (no network). */
class SignallerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A connector whose connections record what is sent; connects succeed or fail as told. */
    private static final class FakeConnector implements WebSocketConnector {
        final List<Long> attempts = new CopyOnWriteArrayList<>();
        volatile boolean refuse;
        volatile FakeConnection current;

        @Override
        public CompletableFuture<Connection> connect(URI uri, WebSocketConnector.Events events) {
            attempts.add(System.nanoTime());
            if (refuse) {
                return CompletableFuture.failedFuture(new java.net.ConnectException("Connection refused"));
            }
            FakeConnection connection = new FakeConnection(events);
            events.onOpen(connection);
            current = connection;
            return CompletableFuture.completedFuture(connection);
        }
    }

    private static final class FakeConnection implements WebSocketConnector.Connection {
        final WebSocketConnector.Events events;
        final BlockingQueue<JsonNode> sent = new LinkedBlockingQueue<>();
        volatile int pings;
        volatile boolean aborted;

        FakeConnection(WebSocketConnector.Events events) {
            this.events = events;
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
            pings++;
        }

        @Override
        public void close() {
            events.onClosed("closed");
        }

        @Override
        public void abort() {
            aborted = true;
            events.onClosed("aborted");
        }

        JsonNode next() throws InterruptedException {
            JsonNode message = sent.poll(5, TimeUnit.SECONDS);
            assertTrue(message != null, "a message was sent");
            return message;
        }

        void receive(String json) {
            events.onText(json.replace('\'', '"'));
        }
    }

    private static final class Recorder implements Signaller.Listener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onRegistered(String peerId) {
            events.add("registered " + peerId);
        }

        @Override
        public void onDisconnected(String reason) {
            events.add("disconnected");
        }

        @Override
        public void onStartSession(String sessionId, String peerId, String offer) {
            events.add("start " + sessionId + " " + peerId + " " + offer);
        }

        @Override
        public void onSdp(String sessionId, String type, String sdp) {
            events.add("sdp " + sessionId + " " + type + " " + sdp);
        }

        @Override
        public void onIce(String sessionId, int mlineIndex, String candidate) {
            events.add("ice " + sessionId + " " + mlineIndex + " " + candidate);
        }

        @Override
        public void onEndSession(String sessionId) {
            events.add("end " + sessionId);
        }

        String next() throws InterruptedException {
            String event = events.poll(5, TimeUnit.SECONDS);
            assertTrue(event != null, "an event came");
            return event;
        }
    }

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private Signaller signaller(FakeConnector connector, Recorder recorder, Signaller.Timing timing) {
        JsonNode meta = JSON.createObjectNode().put("name", "cam");
        Signaller signaller = new Signaller(URI.create("ws://127.0.0.1:1/signalling"), connector,
                List.of("producer"), meta, recorder, executor, timing);
        signaller.start();
        return signaller;
    }

    private static final Signaller.Timing FAST = new Signaller.Timing(100, 400, 0, 10_000);

    @Test
    void registersOnWelcomeAndIsReadyAfterTheListRoundTrip() throws Exception {
        FakeConnector connector = new FakeConnector();
        Recorder recorder = new Recorder();
        Signaller signaller = signaller(connector, recorder, FAST);
        await().atMost(Duration.ofSeconds(5)).until(() -> connector.current != null);
        FakeConnection connection = connector.current;
        connection.receive("{'type':'welcome','peerId':'P'}");
        assertEquals(JSON.readTree("{\"type\":\"setPeerStatus\",\"roles\":[\"producer\"],\"meta\":{\"name\":\"cam\"}}"),
                connection.next());
        assertEquals(JSON.readTree("{\"type\":\"list\"}"), connection.next());
        assertNull(signaller.peerId(), "not ready before the server has handled the registration");
        connection.receive("{'type':'list','producers':[{'id':'P','meta':{'name':'cam'}}]}");
        assertEquals("registered P", recorder.next());
        assertEquals("P", signaller.peerId());
        assertEquals("REGISTERED", signaller.status().state());
    }

    @Test
    void relaysSessionMessagesBothWays() throws Exception {
        FakeConnector connector = new FakeConnector();
        Recorder recorder = new Recorder();
        Signaller signaller = signaller(connector, recorder, FAST);
        await().atMost(Duration.ofSeconds(5)).until(() -> connector.current != null);
        FakeConnection connection = connector.current;
        connection.receive("{'type':'welcome','peerId':'P'}");
        connection.next();
        connection.next();
        connection.receive("{'type':'list','producers':[]}");
        recorder.next();

        connection.receive("{'type':'startSession','peerId':'C','sessionId':'S','offer':null}");
        assertEquals("start S C null", recorder.next());
        connection.receive("{'type':'peer','sessionId':'S','sdp':{'type':'answer','sdp':'v=0'}}");
        assertEquals("sdp S answer v=0", recorder.next());
        connection.receive("{'type':'peer','sessionId':'S','ice':{'candidate':'candidate:1','sdpMLineIndex':1,"
                + "'sdpMid':'1'}}");
        assertEquals("ice S 1 candidate:1", recorder.next());
        // no or a negative m-line index: dropped, as the upstream server and webrtcsink do
        connection.receive("{'type':'peer','sessionId':'S','ice':{'candidate':'candidate:2','sdpMLineIndex':null}}");
        connection.receive("{'type':'peer','sessionId':'S','ice':{'candidate':'candidate:3','sdpMLineIndex':-1}}");
        connection.receive("not json at all");
        connection.receive("{'type':'somethingNew'}");
        connection.receive("{'type':'endSessionV1_1','sessionId':'S','error':null}");
        assertEquals("end S", recorder.next());

        signaller.sendSdp("S", "offer", "v=0\r\n");
        assertEquals(JSON.readTree("{\"type\":\"peer\",\"sessionId\":\"S\",\"sdp\":{\"type\":\"offer\","
                + "\"sdp\":\"v=0\\r\\n\"}}"), connection.next());
        signaller.sendIce("S", 0, "candidate:9 1 UDP 1 127.0.0.1 5000 typ host");
        assertEquals(JSON.readTree("{\"type\":\"peer\",\"sessionId\":\"S\",\"ice\":{\"candidate\":"
                + "\"candidate:9 1 UDP 1 127.0.0.1 5000 typ host\",\"sdpMLineIndex\":0}}"), connection.next());
        signaller.endSession("S");
        assertEquals(JSON.readTree("{\"type\":\"endSession\",\"sessionId\":\"S\"}"), connection.next());
        signaller.startSession("P2", null);
        assertEquals(JSON.readTree("{\"type\":\"startSession\",\"peerId\":\"P2\"}"), connection.next());
    }

    @Test
    void reconnectsWithGrowingDelaysAndRegistersAgain() throws Exception {
        FakeConnector connector = new FakeConnector();
        connector.refuse = true;
        Recorder recorder = new Recorder();
        Signaller signaller = signaller(connector, recorder, FAST);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertTrue(connector.attempts.size() >= 5, "keeps trying"));
        List<Long> attempts = List.copyOf(connector.attempts);
        long first = TimeUnit.NANOSECONDS.toMillis(attempts.get(2) - attempts.get(1));
        long later = TimeUnit.NANOSECONDS.toMillis(attempts.get(4) - attempts.get(3));
        assertTrue(first >= 150 && later >= 350, "delays grow: " + first + " then " + later + " ms");
        assertEquals("WAITING", signaller.status().state());
        assertTrue(signaller.status().lastError().contains("Connection refused"), signaller.status().lastError());

        connector.refuse = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> connector.current != null);
        connector.current.receive("{'type':'welcome','peerId':'P2'}");
        connector.current.next();
        connector.current.next();
        connector.current.receive("{'type':'list','producers':[]}");
        String event;
        do {
            event = recorder.next();
        } while (event.equals("disconnected"));
        assertEquals("registered P2", event);
        assertTrue(signaller.status().reconnects() >= 4);

        // losing a registered connection reports it and connects again at the shortest delay
        FakeConnection before = connector.current;
        before.events.onClosed("server went away");
        assertEquals("disconnected", recorder.next());
        assertNull(signaller.peerId());
        await().atMost(Duration.ofSeconds(5)).until(() -> connector.current != before);
    }

    @Test
    void aSilentServerIsDroppedAndReplaced() throws Exception {
        FakeConnector connector = new FakeConnector();
        Recorder recorder = new Recorder();
        signaller(connector, recorder, new Signaller.Timing(100, 400, 100, 500));
        await().atMost(Duration.ofSeconds(5)).until(() -> connector.current != null);
        FakeConnection silent = connector.current;
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertTrue(silent.aborted, "aborted after 500 ms without a word"));
        assertTrue(silent.pings >= 2, "pinged meanwhile: " + silent.pings);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertTrue(connector.current != silent, "connected again"));
    }

}
