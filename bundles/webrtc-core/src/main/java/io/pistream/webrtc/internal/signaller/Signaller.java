package io.pistream.webrtc.internal.signaller;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pistream.webrtc.SignallingStatus;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the gst-webrtc-signalling-server protocol (v1.0): registers with roles and meta on every welcome,
 * relays session messages both ways, answers nothing on its own, and reconnects with a doubling delay when the
 * connection is lost. Every {@link Listener} call is made on the executor given, in the order messages came.
 */
public final class Signaller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Signaller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** What the server says. All calls on the signaller's executor. */
    public interface Listener {
        /** Connected and registered: {@code setPeerStatus} went out. */
        void onRegistered(String peerId);

        /** The connection is lost (every session with it); a new one will be tried. */
        void onDisconnected(String reason);

        default void onStartSession(String sessionId, String peerId, String offer) {
        }

        default void onSessionStarted(String sessionId, String peerId) {
        }

        default void onSdp(String sessionId, String type, String sdp) {
        }

        default void onIce(String sessionId, int mlineIndex, String candidate) {
        }

        default void onEndSession(String sessionId) {
        }

        /** A peer registered, changed or went away ({@code roles} empty). */
        default void onPeerStatus(String peerId, List<String> roles, JsonNode meta) {
        }

        /** The reply to {@link Signaller#list()}. */
        default void onList(List<Peer> producers) {
        }

        /** An {@code error} from the server: not fatal, it is about the last request. */
        default void onServerError(String details) {
        }
    }

    /** A producer of a {@code list} reply. */
    public record Peer(String id, JsonNode meta) {
    }

    /** Timing of the reconnection and liveness checks. */
    public record Timing(long minRetryMillis, long maxRetryMillis, long pingMillis, long deadMillis) {
        public static final Timing DEFAULT = new Timing(1000, 30_000, 15_000, 45_000);
    }

    private final URI uri;
    private final WebSocketConnector connector;
    private final List<String> roles;
    private final JsonNode meta;
    private final Listener listener;
    private final ScheduledExecutorService executor;
    private final Timing timing;

    // on the executor
    private WebSocketConnector.Connection connection;
    private int connectionGeneration;
    private long retryMillis;
    private ScheduledFuture<?> retry;
    private ScheduledFuture<?> pinger;
    private long lastHeard;
    private String welcomedId;
    private boolean everRegistered;
    private boolean closed;

    private volatile String state = "CONNECTING";
    private volatile String peerId;
    private volatile int reconnects;
    private volatile String lastError;

    /**
     * @param roles roles to register with on each welcome (empty: register nothing)
     * @param meta  the {@code meta} to register with, or null
     */
    public Signaller(URI uri, WebSocketConnector connector, List<String> roles, JsonNode meta, Listener listener,
            ScheduledExecutorService executor, Timing timing) {
        this.uri = uri;
        this.connector = connector;
        this.roles = List.copyOf(roles);
        this.meta = meta;
        this.listener = listener;
        this.executor = executor;
        this.timing = timing;
        this.retryMillis = timing.minRetryMillis();
    }

    /** Connects (asynchronously). */
    public void start() {
        executor.execute(this::connect);
    }

    public SignallingStatus status() {
        return new SignallingStatus(uri.toString(), state, peerId, reconnects, lastError);
    }

    /** The id the server gave this peer, or null when not connected. */
    public String peerId() {
        return peerId;
    }

    // --- connection -------------------------------------------------------------------------------------------

    private void connect() {
        if (closed) {
            return;
        }
        retry = null;
        state = "CONNECTING";
        int generation = ++connectionGeneration;
        WebSocketConnector.Events events = new WebSocketConnector.Events() {
            @Override
            public void onOpen(WebSocketConnector.Connection opened) {
                // queued before any message of this connection: the welcome finds the connection set
                executor.execute(() -> {
                    if (closed || generation != connectionGeneration) {
                        opened.close();
                        return;
                    }
                    connection = opened;
                    lastHeard = System.nanoTime();
                    startPinger(generation);
                    LOG.debug("Connected to {}", uri);
                });
            }

            @Override
            public void onText(String text) {
                executor.execute(() -> {
                    if (generation == connectionGeneration) {
                        received(text);
                    }
                });
            }

            @Override
            public void onPong() {
                executor.execute(() -> {
                    if (generation == connectionGeneration) {
                        lastHeard = System.nanoTime();
                    }
                });
            }

            @Override
            public void onClosed(String reason) {
                executor.execute(() -> lost(generation, reason));
            }
        };
        connector.connect(uri, events).whenComplete((opened, error) -> {
            if (error != null) {
                executor.execute(() -> lost(generation, "cannot connect to " + uri + ": " + rootMessage(error)));
            }
        });
    }

    private void startPinger(int generation) {
        if (timing.pingMillis() <= 0) {
            return;
        }
        pinger = executor.scheduleWithFixedDelay(() -> {
            if (generation != connectionGeneration || connection == null) {
                return;
            }
            if (System.nanoTime() - lastHeard > TimeUnit.MILLISECONDS.toNanos(timing.deadMillis())) {
                LOG.warn("Signalling server {} silent for {} s; reconnecting", uri, timing.deadMillis() / 1000);
                WebSocketConnector.Connection dead = connection;
                lost(generation, "no answer from the server for " + timing.deadMillis() / 1000 + " s");
                dead.abort();
            } else {
                connection.ping();
            }
        }, timing.pingMillis(), timing.pingMillis(), TimeUnit.MILLISECONDS);
    }

    private void lost(int generation, String reason) {
        if (generation != connectionGeneration) {
            return;
        }
        connectionGeneration++; // anything still arriving from that connection is ignored
        boolean wasRegistered = peerId != null;
        connection = null;
        peerId = null;
        welcomedId = null;
        if (pinger != null) {
            pinger.cancel(false);
            pinger = null;
        }
        if (closed) {
            return;
        }
        lastError = reason;
        state = "WAITING";
        if (wasRegistered || !everRegistered || retryMillis == timing.minRetryMillis()) {
            LOG.warn("Signalling connection to {} lost: {}; connecting again in {} ms", uri, reason, retryMillis);
        } else {
            LOG.debug("Signalling server {} still unreachable: {}; next try in {} ms", uri, reason, retryMillis);
        }
        listener.onDisconnected(reason);
        retry = executor.schedule(() -> {
            reconnects++;
            connect();
        }, retryMillis, TimeUnit.MILLISECONDS);
        retryMillis = Math.min(timing.maxRetryMillis(), retryMillis * 2);
    }

    @Override
    public void close() {
        executor.execute(() -> {
            if (closed) {
                return;
            }
            closed = true;
            state = "STOPPED";
            if (retry != null) {
                retry.cancel(false);
            }
            if (pinger != null) {
                pinger.cancel(false);
            }
            if (connection != null) {
                connection.close();
                connection = null;
            }
            peerId = null;
        });
    }

    /** Drops the connection without a close frame and does not reconnect, as a peer whose process died. */
    public void drop() {
        executor.execute(() -> {
            closed = true;
            state = "STOPPED";
            if (retry != null) {
                retry.cancel(false);
            }
            if (pinger != null) {
                pinger.cancel(false);
            }
            if (connection != null) {
                connection.abort();
                connection = null;
            }
            peerId = null;
        });
    }

    // --- incoming ---------------------------------------------------------------------------------------------

    private void received(String text) {
        lastHeard = System.nanoTime();
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            LOG.warn("Unparseable message from the signalling server ignored: {}", abbreviate(text));
            return;
        }
        String type = message.path("type").asText("");
        try {
            switch (type) {
                case "welcome" -> welcome(message.path("peerId").asText());
                case "startSession" -> listener.onStartSession(message.path("sessionId").asText(),
                        message.path("peerId").asText(), textOrNull(message.get("offer")));
                case "sessionStarted" -> listener.onSessionStarted(message.path("sessionId").asText(),
                        message.path("peerId").asText());
                case "peer" -> peer(message);
                case "endSession", "endSessionV1_1" -> listener.onEndSession(message.path("sessionId").asText());
                case "peerStatusChanged" -> listener.onPeerStatus(message.path("peerId").asText(),
                        strings(message.path("roles")), message.get("meta"));
                case "list" -> {
                    if (state.equals("REGISTERING")) {
                        registered();
                    }
                    list(message);
                }
                case "error" -> {
                    LOG.warn("Signalling server {} reports an error: {}", uri, message.path("details").asText());
                    listener.onServerError(message.path("details").asText());
                }
                default -> LOG.debug("Ignoring signalling message of type '{}'", type);
            }
        } catch (RuntimeException e) {
            LOG.error("Handling signalling message {} failed", abbreviate(text), e);
        }
    }

    private void welcome(String id) {
        welcomedId = id;
        lastError = null;
        retryMillis = timing.minRetryMillis();
        if (roles.isEmpty()) {
            registered();
            return;
        }
        ObjectNode status = NODES.objectNode();
        status.put("type", "setPeerStatus");
        ArrayNode roleArray = status.putArray("roles");
        roles.forEach(roleArray::add);
        status.set("meta", meta == null ? NODES.nullNode() : meta);
        send(status);
        // the server handles one socket's messages in order: its list reply means the registration is done
        state = "REGISTERING";
        list();
    }

    private void registered() {
        peerId = welcomedId;
        state = "REGISTERED";
        LOG.info("Registered with signalling server {} as {} {}{}", uri, roles.isEmpty() ? "peer" : roles, peerId,
                everRegistered ? " (again)" : "");
        everRegistered = true;
        listener.onRegistered(peerId);
    }

    private void peer(JsonNode message) {
        String sessionId = message.path("sessionId").asText();
        JsonNode sdp = message.get("sdp");
        JsonNode ice = message.get("ice");
        if (sdp != null && sdp.isObject()) {
            listener.onSdp(sessionId, sdp.path("type").asText(""), textOrNull(sdp.get("sdp")));
        } else if (ice != null && ice.isObject()) {
            JsonNode index = ice.get("sdpMLineIndex");
            if (index == null || !index.canConvertToInt() || index.asInt() < 0) {
                LOG.debug("Session {}: ICE candidate without sdpMLineIndex ignored", sessionId);
                return;
            }
            listener.onIce(sessionId, index.asInt(), ice.path("candidate").asText(""));
        }
    }

    private void list(JsonNode message) {
        List<Peer> producers = new ArrayList<>();
        for (JsonNode producer : message.path("producers")) {
            String id = producer.hasNonNull("id") ? producer.path("id").asText() : producer.path("peerId").asText();
            producers.add(new Peer(id, producer.get("meta")));
        }
        listener.onList(producers);
    }

    // --- outgoing (any thread) --------------------------------------------------------------------------------

    public void sendSdp(String sessionId, String type, String sdp) {
        ObjectNode message = NODES.objectNode();
        message.put("type", "peer");
        message.put("sessionId", sessionId);
        ObjectNode inner = message.putObject("sdp");
        inner.put("type", type);
        inner.put("sdp", sdp);
        send(message);
    }

    public void sendIce(String sessionId, int mlineIndex, String candidate) {
        ObjectNode message = NODES.objectNode();
        message.put("type", "peer");
        message.put("sessionId", sessionId);
        ObjectNode inner = message.putObject("ice");
        inner.put("candidate", candidate);
        inner.put("sdpMLineIndex", mlineIndex);
        send(message);
    }

    public void endSession(String sessionId) {
        ObjectNode message = NODES.objectNode();
        message.put("type", "endSession");
        message.put("sessionId", sessionId);
        send(message);
    }

    /** Asks to consume a producer; the server answers {@code sessionStarted}. */
    public void startSession(String producerId, String offer) {
        ObjectNode message = NODES.objectNode();
        message.put("type", "startSession");
        message.put("peerId", producerId);
        if (offer != null) {
            message.put("offer", offer);
        }
        send(message);
    }

    public void list() {
        send(NODES.objectNode().put("type", "list"));
    }

    private void send(JsonNode message) {
        String text = message.toString();
        executor.execute(() -> {
            if (connection != null) {
                connection.send(text);
            } else {
                LOG.debug("Not connected; dropped {}", abbreviate(text));
            }
        });
    }

    // --- text ----------------------------------------------------------------------------------------------------

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(node -> result.add(node.asText()));
        return result;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
