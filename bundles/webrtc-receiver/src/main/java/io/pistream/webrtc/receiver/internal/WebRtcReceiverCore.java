package io.pistream.webrtc.receiver.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.signalling.protocol.ServerMeta;
import io.pistream.webrtc.WebRtcReceiver;
import io.pistream.webrtc.internal.Instance;
import io.pistream.webrtc.internal.SignallingPeer;
import io.pistream.webrtc.internal.door.DoorRefusal;
import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.internal.signaller.WebSocketConnector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver without OSGi: a listener on the signalling server that consumes the producers whose meta matches
 * (or that the shell names), one {@link ReceiverSession} each. Producers of this platform (same instance id)
 * are never consumed, nor producers whose meta lacks {@link ServerMeta#USER}: the device's signalling server stamps
 * it with the user it authenticated, and lets only users with the role talk produce, so a producer without it was
 * vouched for by no one (a viewer cannot make the speaker talk).
 */
public final class WebRtcReceiverCore extends SignallingPeer<ReceiverSession> implements WebRtcReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcReceiverCore.class);
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final ReceiverSettings settings;
    private final ReceiverSession.VideoConsumer videoConsumer;
    /** Known producers: id to meta. */
    private final Map<String, JsonNode> producers = new LinkedHashMap<>();
    /** Producers asked for with startSession, waiting for sessionStarted; id to the time asked. */
    private final Map<String, Long> requested = new HashMap<>();
    /** Producers that match but that no server vouched for, already logged. */
    private final Set<String> unvouchedLogged = new HashSet<>();

    public WebRtcReceiverCore(ReceiverSettings settings, WebSocketConnector connector, Signaller.Timing timing,
            ReceiverSession.VideoConsumer videoConsumer) {
        super("receiver", settings.name(), "producer", "pistream-webrtc-receiver",
                "pistream-webrtc-receiver-teardown", settings.signallingUrl(), connector, List.of("listener"),
                settings.meta(), timing);
        this.settings = settings;
        this.videoConsumer = videoConsumer;
        connect();
    }

    @Override
    protected void disconnected() {
        producers.clear();
        requested.clear();
    }

    @Override
    protected void registered(String peerId) {
        LOG.info("WebRTC receiver '{}' listening as {}{}", settings.name(), peerId, settings.matchField() == null
                ? " (no match configured: pistream:receive starts sessions)"
                : "; receives producers whose " + settings.matchField() + " matches " + settings.matchValue());
    }

    @Override
    protected void listed(List<Signaller.Peer> list) {
        producers.clear();
        for (Signaller.Peer peer : list) {
            if (!peer.id().equals(signaller.peerId())) {
                producers.put(peer.id(), peer.meta());
            }
        }
        producers.forEach((id, meta) -> consider(id, meta));
    }

    @Override
    protected void peerStatus(String peerId, List<String> roles, JsonNode meta) {
        if (peerId.equals(signaller.peerId())) {
            return;
        }
        if (roles.contains("producer")) {
            boolean isNew = !producers.containsKey(peerId);
            producers.put(peerId, meta);
            if (isNew) {
                consider(peerId, meta);
            }
        } else {
            producers.remove(peerId);
            requested.remove(peerId);
            unvouchedLogged.remove(peerId);
        }
    }

    @Override
    protected void sessionStarted(String sessionId, String producerId) {
        if (requested.remove(producerId) == null) {
            LOG.warn("Session {} with {} started but was not asked for; ending it", sessionId, producerId);
            signaller.endSession(sessionId);
            return;
        }
        ReceiverSession session = new ReceiverSession(sessionId, producerId, nameOf(producerId),
                settings.output(), videoConsumer, settings.sessionSettings(), owner, control, teardown);
        sessions.add(session);
        session.start();
    }

    private String nameOf(String producerId) {
        JsonNode meta = producers.get(producerId);
        JsonNode name = meta == null ? null : meta.get("name");
        return name != null && name.isValueNode() ? name.asText() : producerId;
    }

    private boolean isOwn(JsonNode meta) {
        return meta != null && Instance.ID.equals(meta.path("instance").asText(null));
    }

    /** The user the signalling server stamped into the producer's meta, or null when there is none. */
    static String vouchedUser(JsonNode meta) {
        JsonNode user = meta == null ? null : meta.get(ServerMeta.USER);
        return user != null && user.isTextual() && !user.asText().isEmpty() ? user.asText() : null;
    }

    private boolean receiving(String producerId) {
        return requested.containsKey(producerId)
                || sessions.running().stream().anyMatch(session -> session.peerId().equals(producerId));
    }

    /** A producer appeared: receive it if it matches. */
    private void consider(String producerId, JsonNode meta) {
        if (closed || isOwn(meta) || !settings.matches(meta) || receiving(producerId)) {
            return;
        }
        if (vouchedUser(meta) == null) {
            if (unvouchedLogged.add(producerId)) {
                LOG.warn("Producer '{}' ({}) matches but its meta has no {}: no signalling server vouched for a talk"
                        + " user; not received", nameOf(producerId), producerId, ServerMeta.USER);
            }
            return;
        }
        if (sessions.size() + requested.size() >= settings.maxSessions()) {
            LOG.warn("Producer '{}' ({}) matches but {} sessions run already (max.sessions)", nameOf(producerId),
                    producerId, settings.maxSessions());
            return;
        }
        request(producerId);
    }

    private void request(String producerId) {
        LOG.info("Receiving producer '{}' ({}) of user '{}'", nameOf(producerId), producerId,
                vouchedUser(producers.get(producerId)));
        Long asked = System.nanoTime();
        requested.put(producerId, asked);
        signaller.startSession(producerId, null);
        // a refused startSession (the producer went away meanwhile) gets an error but no sessionStarted
        control.schedule(() -> {
            if (requested.remove(producerId, asked)) {
                LOG.warn("Producer '{}' ({}): no session started within {} s", nameOf(producerId), producerId,
                        START_TIMEOUT_MILLIS / 1000);
            }
        }, START_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    // --- WebRtcReceiver ---------------------------------------------------------------------------------------

    @Override
    public List<RemoteProducer> producers() {
        return onControl(() -> {
            List<RemoteProducer> result = new ArrayList<>();
            producers.forEach((id, meta) -> {
                if (!isOwn(meta)) {
                    result.add(new RemoteProducer(id, nameOf(id), meta == null ? "null" : meta.toString(),
                            receiving(id)));
                }
            });
            return result;
        });
    }

    @Override
    public String receive(String producerId) {
        return onControl(() -> {
            if (!producers.containsKey(producerId)) {
                throw new IllegalArgumentException("No producer " + producerId + " is registered");
            }
            if (isOwn(producers.get(producerId))) {
                throw new IllegalArgumentException(producerId + " is this platform's own producer");
            }
            if (vouchedUser(producers.get(producerId)) == null) {
                throw new IllegalArgumentException("Producer " + producerId + " has no " + ServerMeta.USER
                        + " in its meta: no signalling server vouched for a talk user");
            }
            if (receiving(producerId)) {
                throw new IllegalArgumentException("Producer " + producerId + " is already received");
            }
            if (sessions.size() + requested.size() >= settings.maxSessions()) {
                throw new IllegalArgumentException(settings.maxSessions() + " sessions run already (max.sessions)");
            }
            request(producerId);
            return "Asked producer '" + nameOf(producerId) + "' (" + producerId + ") for a session";
        });
    }

    /**
     * Receives a producer whose offer came through another door (WHIP), whose user the door checked for the role
     * talk: in the same book as the signalling sessions, so {@code max.sessions} and {@code pistream:sessions}
     * count it.
     *
     * @throws DoorRefusal when stopping or at {@code max.sessions}
     */
    public DoorSession openDoorSession(String name, String peer, String offer, long gatherTimeoutMillis) {
        return onControl(() -> {
            if (closed) {
                throw new DoorRefusal(DoorRefusal.Kind.UNAVAILABLE, "the WebRTC receiver is stopping");
            }
            if (sessions.size() + requested.size() >= settings.maxSessions()) {
                LOG.warn("Producer '{}' ({}) refused: {} sessions run already (max.sessions)", name, peer,
                        settings.maxSessions());
                throw new DoorRefusal(DoorRefusal.Kind.FULL, "the device receives " + settings.maxSessions()
                        + " producers already (max.sessions)");
            }
            String sessionId = UUID.randomUUID().toString();
            LOG.info("Receiving producer '{}' ({}) over HTTP as session {}", name, peer, sessionId);
            DoorSession door = new DoorSession(sessionId, control, owner, gatherTimeoutMillis,
                    settings.sessionSettings().hostCandidatesOnly());
            ReceiverSession session = new ReceiverSession(sessionId, peer, name, settings.output(), videoConsumer,
                    settings.sessionSettings(), door, control, teardown);
            door.bind(session);
            sessions.add(session);
            session.start();
            session.remoteDescription("offer", offer);
            return door;
        });
    }

    @Override
    public boolean stop(String sessionId) {
        return endSession(sessionId, "stopped from this device");
    }

    /** The running sessions themselves (tests look at their counters and files). */
    public List<ReceiverSession> runningSessions() {
        return onControl(() -> sessions.running());
    }
}
