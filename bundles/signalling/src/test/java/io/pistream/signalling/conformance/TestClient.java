package io.pistream.signalling.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pistream.signalling.protocol.ServerMeta;
import io.pistream.signalling.testing.TestAccessControl;

/**
 * A real WebSocket client (the JDK's) that records what a signalling client would see.
 */
public final class TestClient implements WebSocket.Listener, AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private final StringBuilder partial = new StringBuilder();
    private volatile long firstPingNanos;
    private WebSocket socket;
    private String peerId;

    private TestClient() {
    }

    /** Connects as the test user {@code tester} (viewer and talk) and reads the {@code welcome}. */
    public static TestClient connect(URI uri) {
        return connectAs(uri, TestAccessControl.TALK_TOKEN);
    }

    /** Connects with {@code Authorization: Bearer <token>} and reads the {@code welcome}. */
    public static TestClient connectAs(URI uri, String token) {
        return connect(HTTP, uri, bearer(token));
    }

    /** The header of a bearer token. */
    public static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    public static TestClient connect(HttpClient http, URI uri, Map<String, String> headers) {
        TestClient client = open(http, uri, headers);
        JsonNode welcome = client.next();
        assertEquals("welcome", welcome.path("type").asText(), "first message: " + welcome);
        assertEquals(2, welcome.size(), "welcome has type and peerId only: " + welcome);
        client.peerId = welcome.path("peerId").asText();
        return client;
    }

    /** Opens the socket without reading anything. Fails like {@code join()} if the handshake fails. */
    public static TestClient open(HttpClient http, URI uri, Map<String, String> headers) {
        TestClient client = new TestClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        client.socket = builder.buildAsync(uri, client).orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    public String id() {
        return peerId;
    }

    // ------------------------------------------------------------------------------------------
    // Listener

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        synchronized (partial) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        messages.add("<binary>");
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        if (pings.getAndIncrement() == 0) {
            firstPingNanos = System.nanoTime();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closeReason = reason;
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(-1);
    }

    // ------------------------------------------------------------------------------------------
    // Actions

    public void send(String text) {
        socket.sendText(text, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    public void sendBinary(ByteBuffer data) {
        socket.sendBinary(data, true).orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Sends {@code text} with single quotes turned into double quotes: {@code send(q("{'type':'list'}"))}. */
    public void sendQ(String text) {
        send(q(text));
    }

    /** Closes with a close handshake. */
    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS).join();
            } catch (RuntimeException e) {
                socket.abort();
            }
        }
    }

    /** Drops the TCP connection without a close handshake. */
    public void abort() {
        socket.abort();
    }

    // ------------------------------------------------------------------------------------------
    // Expectations

    /** @return the next message as a JSON tree; fails after {@link #TIMEOUT} */
    public JsonNode next() {
        String text = nextText();
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("Not JSON: " + text, e);
        }
    }

    public String nextText() {
        try {
            String text = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                fail("No message within " + TIMEOUT + " for " + peerId);
            }
            return text;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Asserts that the next message equals {@code expected} (JSON trees compared). */
    public JsonNode expect(String expected) {
        JsonNode actual = next();
        assertEquals(tree(expected), actual);
        return actual;
    }

    /** {@link #expect} with single quotes turned into double quotes. */
    public JsonNode expectQ(String expected) {
        return expect(q(expected));
    }

    /** Asserts that the next message is {@code error} with exactly these details. */
    public void expectError(String details) {
        JsonNode actual = next();
        assertEquals(JSON.createObjectNode().put("type", "error").put("details", details), actual);
    }

    /**
     * Asserts that nothing was sent to this client: it asks for {@code list}, and the reply must be
     * the very next message. The server handles messages one at a time and each socket is FIFO, so
     * anything queued for this client before the request would come first.
     */
    public void expectNothing() {
        send("{\"type\":\"list\"}");
        JsonNode next = next();
        assertEquals("list", next.path("type").asText(), "expected nothing before the list reply, got " + next);
    }

    /** Asserts that no message is waiting right now (no round trip). */
    public void expectNothingQueued() {
        assertNull(messages.peek(), "unexpected message");
    }

    public int awaitClose() {
        return closed.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** The reason of the server's close frame, once {@link #awaitClose()} returned its code. */
    public String closeReason() {
        return closeReason;
    }

    /** The number of messages received and not yet read. */
    public int queued() {
        return messages.size();
    }

    /** The next message within {@code millis}, or null. */
    public String poll(long millis) throws InterruptedException {
        return messages.poll(millis, TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    public int pings() {
        return pings.get();
    }

    public long firstPingNanos() {
        return firstPingNanos;
    }

    // ------------------------------------------------------------------------------------------

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    /**
     * The meta the server relays for a client of the user {@code tester} that registered {@code metaJson}
     * (single-quoted JSON, an object or null): the same, with the user stamped in. Single-quoted, for {@link #q}.
     */
    public static String stamped(String metaJson) {
        return stamped(metaJson, TestAccessControl.TESTER.name());
    }

    /** {@link #stamped(String)} for another user. */
    public static String stamped(String metaJson, String user) {
        String stamp = "'" + ServerMeta.USER + "':'" + user + "'";
        String meta = metaJson.trim();
        if (meta.equals("null") || meta.equals("{}")) {
            return "{" + stamp + "}";
        }
        return meta.substring(0, meta.length() - 1) + "," + stamp + "}";
    }

    /** Single quotes to double quotes, for readable JSON in tests. */
    public static String q(String text) {
        return text.replace('\'', '"');
    }
}
