package io.pistream.signalling.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One authenticated fuzzing WebSocket connection to a signalling server: sends what it is given, counts what comes
 * back in a {@link Tally} shared by all the connections of a run, keeps nothing.
 */
public final class FuzzClient implements WebSocket.Listener {

    /** What the fuzzing connections of one run got. */
    public static final class Tally {
        public final LongAdder connections = new LongAdder();
        public final LongAdder received = new LongAdder();
        /** Messages of type error. */
        public final LongAdder errors = new LongAdder();
        private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();

        /** How the connections ended, by WebSocket close code; -1 for those lost without a close frame. */
        public Map<Integer, Long> closesByCode() {
            Map<Integer, Long> codes = new TreeMap<>();
            closes.forEach((code, count) -> codes.put(code, count.sum()));
            return codes;
        }
    }

    /** Completes with the close code (-1: lost without a close frame) once the connection has ended. */
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final Tally tally;
    private WebSocket socket;
    private long sent;

    private FuzzClient(Tally tally) {
        this.tally = tally;
    }

    /** @param authorization the {@code Authorization} header, e.g. {@code Bearer} and a token */
    public static FuzzClient open(HttpClient http, URI uri, String authorization, Tally tally) {
        FuzzClient client = new FuzzClient(tally);
        client.socket = http.newWebSocketBuilder().header("Authorization", authorization)
                .buildAsync(uri, client).orTimeout(15, TimeUnit.SECONDS).join();
        tally.connections.increment();
        return client;
    }

    /** False if the send failed: the connection is gone (closed by the server, or aborted here). */
    public boolean send(String text) {
        return done(socket.sendText(text, true));
    }

    public boolean sendBinary(byte[] bytes) {
        return done(socket.sendBinary(ByteBuffer.wrap(bytes), true));
    }

    /** Messages sent on this connection so far. */
    public long sent() {
        return sent;
    }

    public WebSocket socket() {
        return socket;
    }

    private boolean done(CompletableFuture<WebSocket> sending) {
        sent++;
        try {
            sending.orTimeout(10, TimeUnit.SECONDS).join();
            return true;
        } catch (RuntimeException e) {
            socket.abort();
            ended(-1);
            return false;
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (last) {
            tally.received.increment();
        }
        if (data.length() > 15 && data.subSequence(0, 16).toString().equals("{\"type\":\"error\",")) {
            tally.errors.increment();
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ended(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ended(-1);
    }

    /** Counts how the connection ended, once. */
    private void ended(int code) {
        if (closed.complete(code)) {
            tally.closes.computeIfAbsent(code, c -> new LongAdder()).increment();
        }
    }
}
