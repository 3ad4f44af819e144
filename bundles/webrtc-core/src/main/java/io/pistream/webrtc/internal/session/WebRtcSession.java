package io.pistream.webrtc.internal.session;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.api.Tier;
import io.pistream.gstreamer.Elements;
import io.pistream.webrtc.SessionStatus;

import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
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
    private static final long ESTIMATE_KEPT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** A retransmission later than this is of little use to a viewer's jitter buffer, and feeds a storm on a full link. */
    private static final int RETRANSMISSION_HISTORY_MILLIS = 500;

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
    private final PipelineTeardown teardown;
    private final String role;

    protected Pipeline pipeline;
    protected Pointer webrtcbin;
    private final OwnedNatives natives = new OwnedNatives();
    private long handlerKey;

    private volatile Phase state = Phase.NEGOTIATING;
    private volatile String endReason;
    private volatile String codecs = "";
    private final long startedMillis = System.currentTimeMillis();
    protected final long startNanos = System.nanoTime();
    private volatile long firstMediaNanos;
    private volatile long estimateBits;
    private volatile long estimateNanos;
    private final AtomicLong packetsAskedAgain = new AtomicLong();
    private final MissedPackets missedPackets = new MissedPackets();
    /** Distinct packets asked for again at the last reading, and their share of the packets sent since the one before. */
    private long missedAtLastReading;
    private volatile double missedFraction;
    /** webrtcbin's rtprtxsend, owned by the pipeline; null until made. */
    private volatile Pointer retransmitter;
    /** Our candidates, held until our description is sent. */
    private final CandidateGate localCandidates;
    /** The peer's candidates, held until its description is set. */
    private final CandidateGate remoteCandidates;
    private final ConnectionWatch connection;
    private final LinkStats stats;

    protected WebRtcSession(String role, String sessionId, String peerId, SessionSettings settings, Owner owner,
            ScheduledExecutorService control, Executor teardown) {
        this.role = role;
        this.sessionId = sessionId;
        this.peerId = peerId;
        this.settings = settings;
        this.owner = owner;
        this.control = control;
        this.teardown = new PipelineTeardown(sessionId, teardown, this::beforeFree, this::afterFree);
        this.localCandidates = new CandidateGate((mline, candidate) -> owner.sendIce(sessionId, mline, candidate));
        this.remoteCandidates = new CandidateGate(
                (mline, candidate) -> WebRtcNative.addIceCandidate(webrtcbin, mline, candidate));
        this.connection = new ConnectionWatch(sessionId, peerId, settings, control, this::linkUp,
                reason -> end(reason, true));
        this.stats = new LinkStats(control, settings.requestTimeoutMillis(), this::isEnded, () -> webrtcbin,
                this::linkRead);
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
        return new SessionStatus(sessionId, role, peerId, codecs, state.name(), stats.bitrate(), stats.packetsLost(),
                stats.rttMillis(), startedMillis, firstMediaMillis(), endReason, linkLossFraction() * 100,
                estimateKbps(), tier(), tierReason());
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
            connection.startConnectTimeout(() -> state == Phase.NEGOTIATING);
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
        new IceSetup(settings).apply(webrtcbin, sessionId);
        pipeline.add(bin);
        handlerKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onIceCandidate(int mlineIndex, String candidate) {
                whileRunning(() -> localCandidates.offer(mlineIndex, candidate));
            }

            @Override
            public void onConnectionState(int connectionState) {
                whileRunning(() -> connection.connectionState(connectionState));
            }

            @Override
            public void onIceConnectionState(int iceState) {
                whileRunning(() -> connection.iceState(iceState));
            }

            @Override
            public void onPadAdded(Pointer pad) {
                padAdded(pad);
            }

            @Override
            public void onKeyFrameRequest() {
                keyFrameRequested();
            }

            @Override
            public void onBandwidthEstimate(long bitsPerSecond) {
                estimateBits = bitsPerSecond;
                estimateNanos = System.nanoTime();
            }

            @Override
            public void onRetransmitter(Pointer element) {
                retransmitter = element;
            }

            @Override
            public void onRetransmissionRequest(int[] packetIds) {
                packetsAskedAgain.addAndGet(packetIds.length);
                missedPackets.asked(packetIds);
            }
        });
        WebRtcNative.connectSignals(webrtcbin, handlerKey);
        WebRtcNative.limitRetransmissionHistory(Natives.getRawPointer(pipeline), handlerKey,
                RETRANSMISSION_HISTORY_MILLIS);
        pipeline.getBus().connect((Bus.ERROR) (source, code, message) -> control.execute(() ->
                end("pipeline error from " + (source == null ? "?" : source.getName()) + ": " + message, true)));
    }

    /** Runs a signal's work on the control executor, unless the session has ended by then. */
    private void whileRunning(Runnable work) {
        control.execute(() -> {
            if (!isEnded()) {
                work.run();
            }
        });
    }

    /** The key for {@link WebRtcNative} probes of this session. */
    protected long handlerKey() {
        return handlerKey;
    }

    /** Keeps a wrapper so that the teardown can free it. */
    protected <T extends NativeObject> T keep(T wrapper) {
        return natives.keep(wrapper);
    }

    /** Keeps a native object reference (a pad) so that the teardown can release it. */
    protected Pointer keepNative(Pointer object) {
        return natives.keepNative(object);
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
        localCandidates.open();
    }

    /** A candidate from the peer; held until the remote description is set. */
    public void remoteCandidate(int mlineIndex, String candidate) {
        if (isEnded() || candidate == null || candidate.isEmpty()) {
            return; // an empty candidate means end-of-candidates, which webrtcbin does not need
        }
        remoteCandidates.offer(mlineIndex, candidate);
    }

    protected void remoteDescriptionSet() {
        remoteCandidates.open();
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

    /** ICE and DTLS are up for the first time: the session streams and its statistics are read from now on. */
    private void linkUp() {
        state = Phase.STREAMING;
        LOG.info("Session {} with {} connected after {} ms", sessionId, peerId,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        stats.start(linkReadingMillis());
        if (!WebRtcNative.watchFeedback(webrtcbin, handlerKey, linkReadingMillis())) {
            LOG.debug("Session {}: no RTP session to read the peer's feedback from", sessionId);
        }
        connected();
    }

    /**
     * The share of packets the link lost: the peer's own count in its last report, or the packets it asked for again
     * over the last reading, the larger. A report counts only the losses no retransmission repaired, which on a link
     * with a short round trip are almost none (a relay that lost 3 % gave 0 % in every report of a loaded machine).
     */
    private double linkLossFraction() {
        return Math.max(stats.lossFraction(), missedFraction);
    }

    private void linkRead() {
        long missed = missedPackets.missed();
        long packets = stats.packetsBetweenReadings();
        missedFraction = packets > 0 ? Math.min(1, (missed - missedAtLastReading) / (double) packets) : 0;
        missedAtLastReading = missed;
        if (stats.fresh()) {
            linkRead(stats.lossFraction(), stats.rttMillis());
        }
    }

    /**
     * A new report of the link (a reading that repeats the last receiver report is not one), on the control
     * executor: subclasses may act on it.
     *
     * @param lossFraction the share of packets lost, 0 to 1 ({@link LinkStats#lossFraction()})
     * @param rttMillis    the round-trip time, or -1 if not known
     */
    protected void linkRead(double lossFraction, double rttMillis) {
    }

    /** How often the link's figures are read: every two seconds, for the status. */
    protected long linkReadingMillis() {
        return 2000;
    }

    /**
     * Sends nothing again of what was sent until {@link #keepRetransmissions()} (or for two seconds at most): what a
     * link could not carry is not worth carrying twice once the stream has moved on (a tier given up). On the control
     * executor.
     */
    protected void forgetRetransmissions() {
        Pointer element = retransmitter;
        if (element == null || isEnded()) {
            return;
        }
        // a history of one millisecond: each packet sent drops the ones before it
        WebRtcNative.setRetransmissionHistory(element, 1);
        control.schedule(this::keepRetransmissions, 2, TimeUnit.SECONDS);
    }

    /** Keeps what was sent for retransmission again, as usual; from any thread until the pipeline is torn down. */
    protected void keepRetransmissions() {
        Pointer element = retransmitter;
        if (element != null && !isEnded()) {
            WebRtcNative.setRetransmissionHistory(element, RETRANSMISSION_HISTORY_MILLIS);
        }
    }

    /** Whether {@link #sendAgain} can send: webrtcbin made its retransmitter and the session goes on. */
    protected boolean canSendAgain() {
        return retransmitter != null && !isEnded();
    }

    /**
     * Sends packet {@code seqnum} of stream {@code ssrc} again, as a retransmission, whether or not the peer asked
     * for it (a probe of the link); on the control executor, which the pipeline's teardown also runs on.
     *
     * @return false when the session cannot send it any more
     */
    protected boolean sendAgain(int ssrc, int seqnum) {
        Pointer element = retransmitter;
        return element != null && !isEnded() && WebRtcNative.retransmit(element, ssrc, seqnum);
    }

    /** Packets the retransmitter sent again so far, 0 before webrtcbin made it; on the control executor. */
    protected long packetsSentAgain() {
        Pointer element = retransmitter;
        return element == null || isEnded() ? 0 : WebRtcNative.getInt(element, "num-rtx-packets") & 0xffffffffL;
    }

    /** Packets the peer asked for again (generic NACK entries) since the session connected. */
    protected long packetsAskedAgain() {
        return packetsAskedAgain.get();
    }

    /** The peer's bandwidth estimate (REMB) in kbit/s, or -1 when it sent none in the last five seconds. */
    protected long estimateKbps() {
        long at = estimateNanos;
        return at == 0 || System.nanoTime() - at > ESTIMATE_KEPT_NANOS ? -1 : estimateBits / 1000;
    }

    /** Bits per second sent and received over the last reading, in kbit/s (what a producer sends, mostly). */
    protected long sentKbps() {
        return stats.bitrate() / 1000;
    }

    /** The quality tier sent now, or null when the session sends no video. */
    protected Tier tier() {
        return null;
    }

    /** Why the session is on its {@link #tier()}, or null. */
    protected String tierReason() {
        return null;
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
        connection.cancel();
        stats.stop();
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
        OwnedNatives doomedNatives = natives.takeAll();
        pipeline = null;
        webrtcbin = null;
        if (doomed != null) {
            teardown.free(doomed, doomedNatives);
        }
    }

    /** Ends the session because the peer or the server ended it: no endSession goes out. */
    public void endedByPeer(String reason) {
        end(reason, false);
    }

    /** On the teardown thread, before the pipeline goes to NULL (receivers finish their recordings here). */
    protected void beforeFree(Pipeline doomed) {
    }

    /** On the teardown thread, once the pipeline is freed. */
    protected void afterFree() {
    }
}
