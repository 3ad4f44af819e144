package io.pistream.webrtc.internal;

import java.util.List;
import java.util.UUID;

import io.pistream.api.MediaHub;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.internal.door.DoorRefusal;
import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.internal.signaller.WebSocketConnector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer without OSGi: registers with the signalling server and runs one {@link ProducerSession} per
 * viewer. Sessions and signalling share one control thread; pipelines are freed on a second one.
 */
public final class WebRtcProducer extends SignallingPeer<ProducerSession> {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcProducer.class);

    private final ProducerSettings settings;
    private final MediaHub hub;

    public WebRtcProducer(ProducerSettings settings, MediaHub hub, WebSocketConnector connector,
            Signaller.Timing timing) {
        super("producer", settings.name(), "viewer", "pistream-webrtc-" + settings.name(),
                "pistream-webrtc-teardown", settings.signallingUrl(), connector, List.of("producer"), settings.meta(),
                timing);
        this.settings = settings;
        this.hub = hub;
        connect();
    }

    @Override
    protected void registered(String peerId) {
        LOG.info("WebRTC producer '{}' offers {}{} as {}", settings.name(), settings.plan().videoCodecs(),
                settings.plan().hasAudio() ? " and OPUS" : "", peerId);
    }

    @Override
    protected void startSession(String sessionId, String peerId, String offer) {
        if (closed) {
            return;
        }
        if (sessions.contains(sessionId)) {
            LOG.warn("Session {} started twice; the second start is ignored", sessionId);
            return;
        }
        if (sessions.size() >= settings.maxSessions()) {
            LOG.warn("Session {} from {} refused: {} sessions already (max.sessions)", sessionId, peerId,
                    sessions.size());
            signaller.endSession(sessionId);
            sessions.remember(new SessionStatus(sessionId, "producer", peerId, "", "ENDED", 0, 0, -1,
                    System.currentTimeMillis(), -1, "refused: max.sessions (" + settings.maxSessions() + ") reached"));
            return;
        }
        LOG.info("Session {}: viewer {} {}", sessionId, peerId,
                offer == null ? "asks for our offer" : "sends an offer");
        ProducerSession session = new ProducerSession(sessionId, peerId, offer, hub, settings.plan(),
                settings.sessionSettings(), owner, control, teardown);
        sessions.add(session);
        session.start();
    }

    /**
     * Starts a session whose offer came through another door (WHEP): in the same book as the signalling sessions,
     * so {@code max.sessions} and {@code pistream:sessions} count it; the answer goes back to the door.
     *
     * @param plan what to send: the configured plan, or the same with another video source
     * @throws DoorRefusal when stopping or at {@code max.sessions}
     */
    public DoorSession openDoorSession(String peer, String offer, ProducerSession.Plan plan, long gatherTimeoutMillis) {
        return onControl(() -> {
            if (closed) {
                throw new DoorRefusal(DoorRefusal.Kind.UNAVAILABLE, "the WebRTC producer is stopping");
            }
            if (sessions.size() >= settings.maxSessions()) {
                LOG.warn("Session from {} refused: {} sessions already (max.sessions)", peer, sessions.size());
                throw new DoorRefusal(DoorRefusal.Kind.FULL, "the device sends to " + settings.maxSessions()
                        + " viewers already (max.sessions)");
            }
            String sessionId = UUID.randomUUID().toString();
            LOG.info("Session {}: viewer {} sends an offer over HTTP", sessionId, peer);
            DoorSession door = new DoorSession(sessionId, control, owner, gatherTimeoutMillis,
                    settings.sessionSettings().hostCandidatesOnly());
            ProducerSession session = new ProducerSession(sessionId, peer, offer, hub, plan,
                    settings.sessionSettings(), door, control, teardown);
            door.bind(session);
            sessions.add(session);
            session.start();
            return door;
        });
    }

    /** Running sessions. */
    public int sessionCount() {
        return onControl(sessions::size);
    }

    /** Ends a session from this side (shell, tests). */
    @Override
    public boolean endSession(String sessionId) {
        return endSession(sessionId, "ended by the administrator");
    }

    /** Key frames the running sessions asked for after PLI/FIR from their viewers. */
    public long keyFrameRequests() {
        return onControl(() -> sessions.running().stream().mapToLong(ProducerSession::keyFrameRequests).sum());
    }
}
