package io.pistream.webrtc.internal.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.webrtc.SessionStatus;

import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.NativeObject;
import org.freedesktop.gstreamer.glib.Natives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What producer and receiver sessions share: one pipeline with one {@code webrtcbin}, trickle ICE both ways,
 * the connection-state watch, timeouts, statistics and a teardown that leaves nothing behind.
 * <p>
 * Threading: everything but the teardown runs on the owner's control executor ({@code control}); webrtcbin's
 * signals arrive on GStreamer threads and are handed over to it. The teardown (setting the pipeline to NULL,
 * which can take a while) runs on {@code teardown}, after which the pipeline is never touched again.
 */
public abstract class WebRtcSession {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcSession.class);
    private static final long STATS_INTERVAL_MILLIS = 2000;

    /** Where a session sends its signalling messages and reports its end. */
    public interface Owner {
        void sendSdp(String sessionId, String type, String sdp);

        void sendIce(String sessionId, int mlineIndex, String candidate);

        void sendEndSession(String sessionId);

        /** The session ended; on the control executor. */
        void ended(WebRtcSession session);
    }

    /** Session states, as shown by {@code pistream:sessions}. */
    public enum Phase {
        NEGOTIATING, CONNECTING, STREAMING, ENDED
    }

    protected final String sessionId;
    protected final String peerId;
    protected final SessionSettings settings;
    protected final Owner owner;
    protected final ScheduledExecutorService control;
    private final Executor teardown;
    private final String role;

    protected Pipeline pipeline;
    protected Pointer webrtcbin;
    private final List<NativeObject> wrappers = Collections.synchronizedList(new ArrayList<>());
    private final List<Pointer> ownedObjects = new ArrayList<>();
    private long handlerKey;

    private volatile Phase state = Phase.NEGOTIATING;
    private volatile String endReason;
    private volatile String codecs = "";
    private final long startedMillis = System.currentTimeMillis();
    protected final long startNanos = System.nanoTime();
    private volatile long firstMediaNanos;
    private boolean localDescriptionSent;
    private final List<Object[]> pendingLocalCandidates = new ArrayList<>();
    private boolean remoteDescriptionSet;
    private final List<Object[]> pendingRemoteCandidates = new ArrayList<>();
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> disconnectTimer;
    private ScheduledFuture<?> statsTimer;
    private boolean everConnected;

    private volatile long bitrate;
    private volatile long packetsLost;
    private volatile double rttMillis = -1;
    private long lastBytes = -1;
    private long lastStatsNanos;

    protected WebRtcSession(String role, String sessionId, String peerId, SessionSettings settings, Owner owner,
            ScheduledExecutorService control, Executor teardown) {
        this.role = role;
        this.sessionId = sessionId;
        this.peerId = peerId;
        this.settings = settings;
        this.owner = owner;
        this.control = control;
        this.teardown = teardown;
    }

    public String sessionId() {
        return sessionId;
    }

    public String peerId() {
        return peerId;
    }

    public boolean isEnded() {
        return state == Phase.ENDED;
    }

    public String endReason() {
        return endReason;
    }

    public Phase state() {
        return state;
    }

    /** Milliseconds from the start of the session to the first media buffer, or -1. */
    public long firstMediaMillis() {
        long first = firstMediaNanos;
        return first == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(first - startNanos);
    }

    public SessionStatus status() {
        return new SessionStatus(sessionId, role, peerId, codecs, state.name(), bitrate, packetsLost, rttMillis,
                startedMillis, firstMediaMillis(), endReason);
    }

    /** Whether webrtcbin has gathered all its local candidates; on the control executor. */
    public boolean iceGatheringComplete() {
        Pointer bin = webrtcbin;
        return bin != null && WebRtcNative.getInt(bin, "ice-gathering-state") == WebRtcNative.ICE_GATHERING_COMPLETE;
    }

    protected void setCodecs(String text) {
        codecs = text;
    }

    protected void firstMedia() {
        if (firstMediaNanos == 0) {
            firstMediaNanos = System.nanoTime();
            LOG.info("Session {}: first media after {} ms", sessionId, firstMediaMillis());
        }
    }

    // --- building ---------------------------------------------------------------------------------------------

    /** Starts the session; on the control executor. A failure ends it with the reason. */
    public final void start() {
        try {
            buildPipeline();
            begin();
            connectTimer = control.schedule(() -> {
                if (!isEnded() && !everConnected) {
                    end(state == Phase.NEGOTIATING
                            ? "no answer from the peer within " + settings.connectTimeoutMillis() / 1000 + " s"
                            : "ICE/DTLS did not connect within " + settings.connectTimeoutMillis() / 1000 + " s",
                            true);
                }
            }, settings.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (MediaException | RuntimeException e) {
            end("cannot start: " + e.getMessage(), true);
        }
    }

    /** Requests pads, starts the pipeline and the negotiation. */
    protected abstract void begin() throws MediaException;

    private void buildPipeline() throws MediaException {
        pipeline = new Pipeline("webrtc-" + role + "-" + sessionId);
        SessionPipelines.built();
        Element bin = keep(Elements.make("webrtcbin", "webrtcbin"));
        webrtcbin = Natives.getRawPointer(bin);
        WebRtcNative.setInt(webrtcbin, "bundle-policy", WebRtcNative.BUNDLE_MAX_BUNDLE);
        if (!settings.stunServer().isEmpty()) {
            WebRtcNative.setString(webrtcbin, "stun-server", settings.stunServer());
        }
        for (String turn : settings.turnServers()) {
            if (!WebRtcNative.addTurnServer(webrtcbin, turn)) {
                LOG.warn("Session {}: webrtcbin refused TURN server {}", sessionId, redactTurn(turn));
            }
        }
        if (!settings.localIps().isEmpty()) {
            WebRtcNative.addLocalIpAddresses(webrtcbin, settings.localIps());
        }
        pipeline.add(bin);
        handlerKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onIceCandidate(int mlineIndex, String candidate) {
                control.execute(() -> localCandidate(mlineIndex, candidate));
            }

            @Override
            public void onConnectionState(int connectionState) {
                control.execute(() -> connectionState(connectionState));
            }

            @Override
            public void onIceConnectionState(int iceState) {
                control.execute(() -> iceState(iceState));
            }

            @Override
            public void onPadAdded(Pointer pad) {
                padAdded(pad);
            }

            @Override
            public void onKeyFrameRequest() {
                keyFrameRequested();
            }
        });
        WebRtcNative.connectSignals(webrtcbin, handlerKey);
        pipeline.getBus().connect((Bus.ERROR) (source, code, message) -> control.execute(() ->
                end("pipeline error from " + (source == null ? "?" : source.getName()) + ": " + message, true)));
    }

    /** The key for {@link WebRtcNative} probes of this session. */
    protected long handlerKey() {
        return handlerKey;
    }

    /** Keeps a wrapper so that the teardown can free it. */
    protected <T extends NativeObject> T keep(T wrapper) {
        wrappers.add(wrapper);
        return wrapper;
    }

    /** Keeps a native object reference (a pad) so that the teardown can release it. */
    protected Pointer keepNative(Pointer object) {
        ownedObjects.add(object);
        return object;
    }

    /** A new source pad of webrtcbin (receivers); on a GStreamer thread. */
    protected void padAdded(Pointer pad) {
    }

    /** A viewer asked for a key frame (producers); on a GStreamer thread. */
    protected void keyFrameRequested() {
    }

    /** ICE and DTLS are up; on the control executor. */
    protected abstract void connected();

    /** Releases what the subclass holds outside the pipeline (hub subscriptions); before the teardown. */
    protected abstract void release();

    // --- negotiation ------------------------------------------------------------------------------------------

    /** Sends our description, then the candidates gathered so far; afterwards candidates go out at once. */
    protected void sendLocalDescription(String type, String sdp) {
        owner.sendSdp(sessionId, type, sdp);
        localDescriptionSent = true;
        for (Object[] candidate : pendingLocalCandidates) {
            owner.sendIce(sessionId, (Integer) candidate[0], (String) candidate[1]);
        }
        pendingLocalCandidates.clear();
    }

    private void localCandidate(int mlineIndex, String candidate) {
        if (isEnded()) {
            return;
        }
        if (localDescriptionSent) {
            owner.sendIce(sessionId, mlineIndex, candidate);
        } else {
            pendingLocalCandidates.add(new Object[] {mlineIndex, candidate});
        }
    }

    /** A candidate from the peer; held until the remote description is set. */
    public void remoteCandidate(int mlineIndex, String candidate) {
        if (isEnded() || candidate == null || candidate.isEmpty()) {
            return; // an empty candidate means end-of-candidates, which webrtcbin does not need
        }
        if (remoteDescriptionSet) {
            WebRtcNative.addIceCandidate(webrtcbin, mlineIndex, candidate);
        } else {
            pendingRemoteCandidates.add(new Object[] {mlineIndex, candidate});
        }
    }

    protected void remoteDescriptionSet() {
        remoteDescriptionSet = true;
        for (Object[] candidate : pendingRemoteCandidates) {
            WebRtcNative.addIceCandidate(webrtcbin, (Integer) candidate[0], (String) candidate[1]);
        }
        pendingRemoteCandidates.clear();
        if (state == Phase.NEGOTIATING) {
            state = Phase.CONNECTING;
        }
    }

    /** A description from the peer ({@code offer} or {@code answer}). */
    public abstract void remoteDescription(String type, String sdp);

    /** Runs {@code step} on the control executor when {@code future} completes, unless the session ended. */
    protected <T> void then(CompletableFuture<T> future, String what, Consumer<T> step) {
        future.whenCompleteAsync((value, error) -> {
            if (isEnded()) {
                return;
            }
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                        : error;
                end(what + ": " + cause.getMessage(), true);
                return;
            }
            try {
                step.accept(value);
            } catch (SessionFailure e) {
                end(e.getMessage(), true);
            } catch (RuntimeException e) {
                LOG.error("Session {}: {} failed", sessionId, what, e);
                end(what + " failed: " + e, true);
            }
        }, control);
    }

    protected long requestTimeout() {
        return settings.requestTimeoutMillis();
    }

    // --- connection -------------------------------------------------------------------------------------------

    private void connectionState(int connectionState) {
        if (isEnded()) {
            return;
        }
        LOG.debug("Session {}: connection {}", sessionId, WebRtcNative.connectionStateName(connectionState));
        switch (connectionState) {
            case WebRtcNative.PC_CONNECTED -> {
                if (disconnectTimer != null) {
                    disconnectTimer.cancel(false);
                    disconnectTimer = null;
                }
                if (!everConnected) {
                    everConnected = true;
                    state = Phase.STREAMING;
                    LOG.info("Session {} with {} connected after {} ms", sessionId, peerId,
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                    statsTimer = control.scheduleWithFixedDelay(this::pollStats, STATS_INTERVAL_MILLIS,
                            STATS_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
                    connected();
                }
            }
            case WebRtcNative.PC_FAILED -> end("ICE/DTLS connection failed", true);
            case WebRtcNative.PC_DISCONNECTED -> disconnected();
            case WebRtcNative.PC_CLOSED -> end("connection closed", true);
            default -> {
            }
        }
    }

    private void iceState(int iceState) {
        if (isEnded()) {
            return;
        }
        LOG.debug("Session {}: ICE {}", sessionId, WebRtcNative.iceStateName(iceState));
        if (iceState == WebRtcNative.ICE_FAILED) {
            end("ICE failed: no candidate pair works", true);
        } else if (iceState == WebRtcNative.ICE_DISCONNECTED) {
            disconnected();
        }
    }

    private void disconnected() {
        if (disconnectTimer == null && everConnected) {
            LOG.info("Session {}: peer {} disconnected; waiting {} ms for it to come back", sessionId, peerId,
                    settings.disconnectGraceMillis());
            disconnectTimer = control.schedule(() -> end("the peer vanished (ICE disconnected for "
                    + settings.disconnectGraceMillis() / 1000 + " s)", true),
                    settings.disconnectGraceMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void pollStats() {
        if (isEnded()) {
            return;
        }
        WebRtcStats.request(webrtcbin, control, requestTimeout()).whenCompleteAsync((stats, error) -> {
            if (error != null || isEnded()) {
                return;
            }
            long bytes = stats.bytesSent() + stats.bytesReceived();
            long now = System.nanoTime();
            if (lastBytes >= 0 && now > lastStatsNanos && bytes >= lastBytes) {
                bitrate = (bytes - lastBytes) * 8 * 1_000_000_000L / (now - lastStatsNanos);
            }
            lastBytes = bytes;
            lastStatsNanos = now;
            packetsLost = stats.packetsLost();
            rttMillis = stats.roundTripSeconds() < 0 ? -1 : stats.roundTripSeconds() * 1000;
            statsUpdated(stats);
        }, control);
    }

    /** Subclasses may read more of the statistics. */
    protected void statsUpdated(WebRtcStats stats) {
    }

    protected void setPacketsLost(long lost) {
        packetsLost = lost;
    }

    // --- end --------------------------------------------------------------------------------------------------

    /**
     * Ends the session (once): tells the peer unless the end came from it, releases the hub subscriptions, and
     * frees the pipeline. On the control executor.
     */
    public void end(String reason, boolean notifyPeer) {
        if (isEnded()) {
            return;
        }
        endReason = reason;
        state = Phase.ENDED;
        LOG.info("Session {} ({} with {}) ended: {}", sessionId, role, peerId, reason);
        for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {connectTimer, disconnectTimer, statsTimer}) {
            if (timer != null) {
                timer.cancel(false);
            }
        }
        WebRtcNative.unregister(handlerKey);
        try {
            release();
        } catch (RuntimeException e) {
            LOG.warn("Session {}: releasing failed", sessionId, e);
        }
        if (notifyPeer) {
            owner.sendEndSession(sessionId);
        }
        owner.ended(this);
        Pipeline doomed = pipeline;
        List<NativeObject> doomedWrappers;
        synchronized (wrappers) {
            doomedWrappers = new ArrayList<>(wrappers);
            wrappers.clear();
        }
        List<Pointer> doomedObjects = new ArrayList<>(ownedObjects);
        ownedObjects.clear();
        pipeline = null;
        webrtcbin = null;
        if (doomed != null) {
            teardown.execute(() -> free(doomed, doomedWrappers, doomedObjects));
        }
    }

    /** Ends the session because the peer or the server ended it: no endSession goes out. */
    public void endedByPeer(String reason) {
        end(reason, false);
    }

    private void free(Pipeline doomed, List<NativeObject> doomedWrappers, List<Pointer> doomedObjects) {
        try {
            beforeFree(doomed);
        } catch (RuntimeException e) {
            LOG.warn("Session {}: finishing failed", sessionId, e);
        }
        try {
            doomed.setState(State.NULL);
            for (Pointer object : doomedObjects) {
                LibGst.gst_object_unref(object);
            }
            for (NativeObject wrapper : doomedWrappers) {
                wrapper.dispose();
            }
            doomed.dispose();
        } catch (RuntimeException e) {
            LOG.warn("Session {}: freeing the pipeline failed", sessionId, e);
        } finally {
            SessionPipelines.freed();
            afterFree();
        }
    }

    /** On the teardown thread, before the pipeline goes to NULL (receivers finish their recordings here). */
    protected void beforeFree(Pipeline doomed) {
    }

    /** On the teardown thread, once the pipeline is freed. */
    protected void afterFree() {
    }

    private static String redactTurn(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }
}
