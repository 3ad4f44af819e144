package io.pistream.webrtc.internal;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.api.MediaHub;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.SignallingStatus;
import io.pistream.webrtc.WebRtcStatus;
import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.session.WebRtcSession;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.internal.signaller.WebSocketConnector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer without OSGi: registers with the signalling server and runs one {@link ProducerSession} per
 * viewer. Sessions and signalling share one control thread; pipelines are freed on a second one.
 */
public final class WebRtcProducer implements WebRtcStatus, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcProducer.class);

    private final ProducerSettings settings;
    private final MediaHub hub;
    private final ScheduledExecutorService control;
    private final ExecutorService teardown;
    private final Signaller signaller;
    private final WebRtcSession.Owner owner;
    private final SessionBook<ProducerSession> sessions = new SessionBook<>();
    private volatile boolean closed;

    public WebRtcProducer(ProducerSettings settings, MediaHub hub, WebSocketConnector connector,
            Signaller.Timing timing) {
        this.settings = settings;
        this.hub = hub;
        this.control = Threads.control("pistream-webrtc-" + settings.name());
        this.teardown = Threads.single("pistream-webrtc-teardown");
        this.signaller = new Signaller(settings.signallingUrl(), connector, List.of("producer"), settings.meta(),
                new SignallingEvents(), control, timing);
        this.owner = sessions.owner(signaller);
        signaller.start();
    }

    private final class SignallingEvents implements Signaller.Listener {
        @Override
        public void onRegistered(String peerId) {
            LOG.info("WebRTC producer '{}' offers {}{} as {}", settings.name(), settings.plan().videoCodecs(),
                    settings.plan().hasAudio() ? " and OPUS" : "", peerId);
        }

        @Override
        public void onDisconnected(String reason) {
            for (ProducerSession session : sessions.running()) {
                session.endedByPeer("signalling connection lost (" + reason + ")");
            }
        }

        @Override
        public void onStartSession(String sessionId, String peerId, String offer) {
            startSession(sessionId, peerId, offer);
        }

        @Override
        public void onSdp(String sessionId, String type, String sdp) {
            ProducerSession session = sessions.get(sessionId);
            if (session != null) {
                session.remoteDescription(type, sdp);
            }
        }

        @Override
        public void onIce(String sessionId, int mlineIndex, String candidate) {
            ProducerSession session = sessions.get(sessionId);
            if (session != null) {
                session.remoteCandidate(mlineIndex, candidate);
            }
        }

        @Override
        public void onEndSession(String sessionId) {
            ProducerSession session = sessions.get(sessionId);
            if (session != null) {
                session.endedByPeer("the viewer ended the session");
            }
        }

        @Override
        public void onPeerStatus(String peerId, List<String> roles, JsonNode meta) {
            // only listeners get these; the producer registers without the listener role
        }
    }


    private void startSession(String sessionId, String peerId, String offer) {
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

    // --- status -----------------------------------------------------------------------------------------------

    @Override
    public String role() {
        return "producer";
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public SignallingStatus signalling() {
        return signaller.status();
    }

    @Override
    public List<SessionStatus> sessions() {
        return onControl(sessions::statuses);
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

    public boolean endSession(String sessionId, String reason) {
        return onControl(() -> {
            ProducerSession session = sessions.get(sessionId);
            if (session == null) {
                return false;
            }
            session.end(reason, true);
            return true;
        });
    }

    public String peerId() {
        return signaller.peerId();
    }

    /** Key frames the running sessions asked for after PLI/FIR from their viewers. */
    public long keyFrameRequests() {
        return onControl(() -> sessions.running().stream().mapToLong(ProducerSession::keyFrameRequests).sum());
    }

    private <T> T onControl(Callable<T> task) {
        if (closed) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return control.submit(task).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("The WebRTC producer did not answer: " + e, e);
        }
    }

    // --- stop -------------------------------------------------------------------------------------------------

    /** Ends every session (telling the viewers), unregisters and waits for the pipelines to be freed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        control.execute(() -> {
            for (ProducerSession session : sessions.running()) {
                session.end("the producer stopped", true);
            }
            signaller.close();
            control.execute(() -> done.complete(null)); // after the signaller's queued sends
        });
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("WebRTC producer '{}' did not stop cleanly: {}", settings.name(), e.toString());
        }
        closed = true;
        control.shutdown();
        teardown.shutdown();
        try {
            control.awaitTermination(5, TimeUnit.SECONDS);
            if (!teardown.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("WebRTC producer '{}': pipelines still being freed after 20 s", settings.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("WebRTC producer '{}' stopped", settings.name());
    }
}
