package io.pistream.webrtc.internal.signaller;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.signalling.protocol.IncomingMessage;
import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.protocol.MessageParseException;
import io.pistream.signalling.protocol.OutgoingMessage;
import io.pistream.signalling.protocol.PeerPayload;
import io.pistream.signalling.protocol.PeerRole;
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
    private static final MessageCodec CODEC = new MessageCodec();

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
    private final List<PeerRole> roles;
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
        this.roles = roles.stream().map(Signaller::role).toList();
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
            if (!closed) {
                stop(true);
            }
        });
    }

    /** Drops the connection without a close frame and does not reconnect, as a peer whose process died. */
    public void drop() {
        executor.execute(() -> stop(false));
    }

    /** On the executor: no more retries or pings, the connection closed politely or dropped. */
    private void stop(boolean politely) {
        closed = true;
        state = "STOPPED";
        if (retry != null) {
            retry.cancel(false);
        }
        if (pinger != null) {
            pinger.cancel(false);
        }
        if (connection != null) {
            if (politely) {
                connection.close();
            } else {
                connection.abort();
            }
            connection = null;
        }
        peerId = null;
    }

    // --- incoming ---------------------------------------------------------------------------------------------

    private void received(String text) {
        lastHeard = System.nanoTime();
        OutgoingMessage message;
        try {
            message = CODEC.parseServerMessage(text);
        } catch (MessageParseException e) {
            LOG.warn("Signalling message ignored ({}): {}", e.getMessage(), abbreviate(text));
            return;
        }
        try {
            if (message instanceof OutgoingMessage.Welcome welcome) {
                welcome(welcome.peerId());
            } else if (message instanceof OutgoingMessage.StartSession start) {
                listener.onStartSession(start.sessionId(), start.peerId(), start.offer());
            } else if (message instanceof OutgoingMessage.SessionStarted started) {
                listener.onSessionStarted(started.sessionId(), started.peerId());
            } else if (message instanceof OutgoingMessage.Peer peer) {
                peer(peer);
            } else if (message instanceof OutgoingMessage.EndSession end) {
                listener.onEndSession(end.sessionId());
            } else if (message instanceof OutgoingMessage.EndSessionV1_1 end) {
                listener.onEndSession(end.sessionId());
            } else if (message instanceof OutgoingMessage.PeerStatusChanged status) {
                listener.onPeerStatus(status.peerId(),
                        status.roles().stream().map(PeerRole::wireName).toList(), status.meta());
            } else if (message instanceof OutgoingMessage.ProducerList list) {
                if (state.equals("REGISTERING")) {
                    registered();
                }
                listener.onList(list.producers().stream().map(entry -> new Peer(entry.id(), entry.meta())).toList());
            } else if (message instanceof OutgoingMessage.ErrorMessage error) {
                LOG.warn("Signalling server {} reports an error: {}", uri, error.details());
                // in the status too: a refused registration (a missing role) shows there
                lastError = "server: " + error.details();
                listener.onServerError(error.details());
            } else {
                LOG.debug("Ignoring signalling message {}", abbreviate(text));
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
        send(new IncomingMessage.SetPeerStatus(roles, meta, null));
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

    private void peer(OutgoingMessage.Peer message) {
        if (message.payload() instanceof PeerPayload.Sdp sdp) {
            listener.onSdp(message.sessionId(), sdp.type().wireName(), sdp.sdp());
        } else if (message.payload() instanceof PeerPayload.Ice ice) {
            if (ice.sdpMLineIndex() > Integer.MAX_VALUE) {
                LOG.debug("Session {}: ICE candidate of m-line {} ignored", message.sessionId(), ice.sdpMLineIndex());
                return;
            }
            listener.onIce(message.sessionId(), (int) ice.sdpMLineIndex(), ice.candidate());
        }
    }

    // --- outgoing (any thread) --------------------------------------------------------------------------------

    public void sendSdp(String sessionId, String type, String sdp) {
        PeerPayload.SdpType sdpType = switch (type) {
            case "offer" -> PeerPayload.SdpType.OFFER;
            case "answer" -> PeerPayload.SdpType.ANSWER;
            default -> throw new IllegalArgumentException("SDP type '" + type + "' is neither offer nor answer");
        };
        send(new IncomingMessage.Peer(sessionId, new PeerPayload.Sdp(sdpType, sdp)));
    }

    public void sendIce(String sessionId, int mlineIndex, String candidate) {
        send(new IncomingMessage.Peer(sessionId, new PeerPayload.Ice(candidate, mlineIndex)));
    }

    public void endSession(String sessionId) {
        send(new IncomingMessage.EndSession(sessionId));
    }

    /** Asks to consume a producer; the server answers {@code sessionStarted}. */
    public void startSession(String producerId, String offer) {
        send(new IncomingMessage.StartSession(producerId, offer));
    }

    public void list() {
        send(new IncomingMessage.ListProducers());
    }

    private void send(IncomingMessage message) {
        String text = CODEC.encode(message);
        executor.execute(() -> {
            if (connection != null) {
                connection.send(text);
            } else {
                LOG.debug("Not connected; dropped {}", abbreviate(text));
            }
        });
    }

    // --- text ----------------------------------------------------------------------------------------------------

    private static PeerRole role(String name) {
        PeerRole role = PeerRole.fromWire(name);
        if (role == null) {
            throw new IllegalArgumentException("Unknown signalling role '" + name + "'");
        }
        return role;
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
