package io.pistream.webrtc.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.SignallingStatus;
import io.pistream.webrtc.WebRtcReceiver;
import io.pistream.webrtc.internal.session.ReceiverSession;
import io.pistream.webrtc.internal.session.WebRtcSession;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.internal.signaller.WebSocketConnector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver without OSGi: a listener on the signalling server that consumes the producers whose meta matches
 * (or that the shell names), one {@link ReceiverSession} each. Producers of this platform (same instance id)
 * are never consumed.
 */
public final class WebRtcReceiverCore implements WebRtcReceiver, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcReceiverCore.class);
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final ReceiverSettings settings;
    private final ReceiverSession.VideoConsumer videoConsumer;
    private final ScheduledExecutorService control;
    private final ExecutorService teardown;
    private final Signaller signaller;
    private final WebRtcSession.Owner owner;
    /** Known producers: id to meta. */
    private final Map<String, JsonNode> producers = new LinkedHashMap<>();
    /** Producers asked for with startSession, waiting for sessionStarted; id to the time asked. */
    private final Map<String, Long> requested = new HashMap<>();
    private final SessionBook<ReceiverSession> sessions = new SessionBook<>();
    private volatile boolean closed;

    public WebRtcReceiverCore(ReceiverSettings settings, WebSocketConnector connector, Signaller.Timing timing,
            ReceiverSession.VideoConsumer videoConsumer) {
        this.settings = settings;
        this.videoConsumer = videoConsumer;
        this.control = Threads.control("pistream-webrtc-receiver");
        this.teardown = Threads.single("pistream-webrtc-receiver-teardown");
        this.signaller = new Signaller(settings.signallingUrl(), connector, List.of("listener"), settings.meta(),
                new Events(), control, timing);
        this.owner = sessions.owner(signaller);
        signaller.start();
    }

    private final class Events implements Signaller.Listener {
        @Override
        public void onRegistered(String peerId) {
            LOG.info("WebRTC receiver '{}' listening as {}{}", settings.name(), peerId, settings.matchField() == null
                    ? " (no match configured: pistream:receive starts sessions)"
                    : "; receives producers whose " + settings.matchField() + " matches " + settings.matchValue());
        }

        @Override
        public void onDisconnected(String reason) {
            producers.clear();
            requested.clear();
            for (ReceiverSession session : sessions.running()) {
                session.endedByPeer("signalling connection lost (" + reason + ")");
            }
        }

        @Override
        public void onList(List<Signaller.Peer> list) {
            producers.clear();
            for (Signaller.Peer peer : list) {
                if (!peer.id().equals(signaller.peerId())) {
                    producers.put(peer.id(), peer.meta());
                }
            }
            producers.forEach((id, meta) -> consider(id, meta));
        }

        @Override
        public void onPeerStatus(String peerId, List<String> roles, JsonNode meta) {
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
            }
        }

        @Override
        public void onSessionStarted(String sessionId, String producerId) {
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

        @Override
        public void onSdp(String sessionId, String type, String sdp) {
            ReceiverSession session = sessions.get(sessionId);
            if (session != null) {
                session.remoteDescription(type, sdp);
            }
        }

        @Override
        public void onIce(String sessionId, int mlineIndex, String candidate) {
            ReceiverSession session = sessions.get(sessionId);
            if (session != null) {
                session.remoteCandidate(mlineIndex, candidate);
            }
        }

        @Override
        public void onEndSession(String sessionId) {
            ReceiverSession session = sessions.get(sessionId);
            if (session != null) {
                session.endedByPeer("the producer ended the session");
            }
        }

    }


    private String nameOf(String producerId) {
        JsonNode meta = producers.get(producerId);
        JsonNode name = meta == null ? null : meta.get("name");
        return name != null && name.isValueNode() ? name.asText() : producerId;
    }

    private boolean isOwn(JsonNode meta) {
        return meta != null && Instance.ID.equals(meta.path("instance").asText(null));
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
        if (sessions.size() + requested.size() >= settings.maxSessions()) {
            LOG.warn("Producer '{}' ({}) matches but {} sessions run already (max.sessions)", nameOf(producerId),
                    producerId, settings.maxSessions());
            return;
        }
        request(producerId);
    }

    private void request(String producerId) {
        LOG.info("Receiving producer '{}' ({})", nameOf(producerId), producerId);
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

    @Override
    public boolean stop(String sessionId) {
        return onControl(() -> {
            ReceiverSession session = sessions.get(sessionId);
            if (session == null) {
                return false;
            }
            session.end("stopped from this device", true);
            return true;
        });
    }

    @Override
    public String role() {
        return "receiver";
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

    /** The running sessions themselves (tests look at their counters and files). */
    public List<ReceiverSession> runningSessions() {
        return onControl(() -> sessions.running());
    }

    public String peerId() {
        return signaller.peerId();
    }

    private <T> T onControl(Callable<T> task) {
        try {
            return control.submit(task).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("The WebRTC receiver did not answer: " + e, e);
        }
    }

    /** Ends every session (finishing recordings), unregisters and waits for the pipelines to be freed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        control.execute(() -> {
            closed = true;
            for (ReceiverSession session : sessions.running()) {
                session.end("the receiver stopped", true);
            }
            signaller.close();
            control.execute(() -> done.complete(null));
        });
        try {
            done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("WebRTC receiver '{}' did not stop cleanly: {}", settings.name(), e.toString());
        }
        closed = true;
        control.shutdown();
        teardown.shutdown();
        try {
            control.awaitTermination(5, TimeUnit.SECONDS);
            if (!teardown.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warn("WebRTC receiver '{}': pipelines still being freed after 20 s", settings.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("WebRTC receiver '{}' stopped", settings.name());
    }
}
