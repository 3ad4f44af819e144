package io.pistream.webrtc.internal;

import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.SignallingStatus;
import io.pistream.webrtc.WebRtcStatus;
import io.pistream.webrtc.internal.session.WebRtcSession;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.internal.signaller.WebSocketConnector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the WebRTC producer and receiver share: one signalling connection, the sessions it carries (messages
 * routed to them by session id), a control thread that owns all their state, a thread that frees pipelines,
 * and the orderly stop. Subclasses decide which sessions to start and call {@link #connect()} once built.
 */
public abstract class SignallingPeer<S extends WebRtcSession> implements WebRtcStatus, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SignallingPeer.class);

    protected final ScheduledExecutorService control;
    protected final ExecutorService teardown;
    protected final Signaller signaller;
    protected final SessionBook<S> sessions = new SessionBook<>();
    protected final WebRtcSession.Owner owner;
    /** Set on the control thread when the stop begins: no new session from then on. */
    protected volatile boolean closed;
    private final String role;
    private final String name;
    private final String remoteParty;

    /**
     * @param role        "producer" or "receiver", for status and logs
     * @param remoteParty who is at the other end of a session ("viewer", "producer"), for end reasons
     */
    protected SignallingPeer(String role, String name, String remoteParty, String controlThread, String teardownThread,
            URI signallingUrl, WebSocketConnector connector, List<String> roles, JsonNode meta,
            Signaller.Timing timing) {
        this.role = role;
        this.name = name;
        this.remoteParty = remoteParty;
        this.control = Threads.control(controlThread);
        this.teardown = Threads.single(teardownThread);
        this.signaller = new Signaller(signallingUrl, connector, roles, meta, new Routing(), control, timing);
        this.owner = sessions.owner(signaller);
    }

    /** Connects to the signalling server; called by subclasses at the end of their constructor. */
    protected final void connect() {
        signaller.start();
    }

    // --- events for subclasses (control thread) -----------------------------------------------------------------

    protected abstract void registered(String peerId);

    /** The connection is lost; the running sessions are ended right after this. */
    protected void disconnected() {
    }

    protected void startSession(String sessionId, String peerId, String offer) {
    }

    protected void sessionStarted(String sessionId, String peerId) {
    }

    protected void listed(List<Signaller.Peer> producers) {
    }

    protected void peerStatus(String peerId, List<String> roles, JsonNode meta) {
    }

    /** Hands every signalling event to the session it names, or to the subclass. */
    private final class Routing implements Signaller.Listener {
        @Override
        public void onRegistered(String peerId) {
            registered(peerId);
        }

        @Override
        public void onDisconnected(String reason) {
            disconnected();
            for (S session : sessions.running()) {
                session.endedByPeer("signalling connection lost (" + reason + ")");
            }
        }

        @Override
        public void onStartSession(String sessionId, String peerId, String offer) {
            startSession(sessionId, peerId, offer);
        }

        @Override
        public void onSessionStarted(String sessionId, String peerId) {
            sessionStarted(sessionId, peerId);
        }

        @Override
        public void onSdp(String sessionId, String type, String sdp) {
            S session = sessions.get(sessionId);
            if (session != null) {
                session.remoteDescription(type, sdp);
            }
        }

        @Override
        public void onIce(String sessionId, int mlineIndex, String candidate) {
            S session = sessions.get(sessionId);
            if (session != null) {
                session.remoteCandidate(mlineIndex, candidate);
            }
        }

        @Override
        public void onEndSession(String sessionId) {
            S session = sessions.get(sessionId);
            if (session != null) {
                session.endedByPeer("the " + remoteParty + " ended the session");
            }
        }

        @Override
        public void onPeerStatus(String peerId, List<String> roles, JsonNode meta) {
            peerStatus(peerId, roles, meta);
        }

        @Override
        public void onList(List<Signaller.Peer> producers) {
            listed(producers);
        }
    }

    // --- status and actions ---------------------------------------------------------------------------------------

    @Override
    public String role() {
        return role;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SignallingStatus signalling() {
        return signaller.status();
    }

    @Override
    public List<SessionStatus> sessions() {
        return onControl(sessions::statuses);
    }

    public String peerId() {
        return signaller.peerId();
    }

    /** Ends a running session from this side, telling the peer; returns whether it was running. */
    public boolean endSession(String sessionId, String reason) {
        return onControl(() -> {
            S session = sessions.get(sessionId);
            if (session == null) {
                return false;
            }
            session.end(reason, true);
            return true;
        });
    }

    /**
     * Runs a task on the control thread and waits for its result; a runtime exception of the task (a refused
     * request) reaches the caller as it is. Once stopped, the task runs on the caller's thread.
     */
    protected <T> T onControl(Callable<T> task) {
        try {
            if (control.isShutdown()) {
                return task.call();
            }
            return control.submit(task).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("The WebRTC " + role + " did not answer: " + e, e);
        }
    }

    // --- stop -----------------------------------------------------------------------------------------------------

    /** Ends every session (telling the peers), unregisters and waits for the pipelines to be freed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        control.execute(() -> {
            closed = true;
            for (S session : sessions.running()) {
                session.end("the " + role + " stopped", true);
            }
            signaller.close();
            control.execute(() -> done.complete(null)); // after the signaller's queued sends
        });
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("WebRTC {} '{}' did not stop cleanly: {}", role, name, e.toString());
        }
        closed = true;
        control.shutdown();
        teardown.shutdown();
        try {
            control.awaitTermination(5, TimeUnit.SECONDS);
            if (!teardown.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("WebRTC {} '{}': pipelines still being freed after 20 s", role, name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("WebRTC {} '{}' stopped", role, name);
    }
}
