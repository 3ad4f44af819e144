package io.pistream.webrtc.testing;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Pointer;

import io.pistream.webrtc.benchmark.ViewerCommandLoop;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A viewer made of {@code webrtcbin}, talking to the producer through the real signalling server the way
 * webrtcsrc and gstwebrtc-api do: {@code startSession}, answer the producer's offer (or offer itself in
 * {@code startSession.offer}), trickle ICE with {@code sdpMLineIndex}. It decodes what it receives and counts
 * decoded video frames and audio buffers. It can also misbehave on purpose.
 */
public final class TestConsumer implements AutoCloseable, ViewerCommandLoop.Viewer {

    private static final Logger LOG = LoggerFactory.getLogger(TestConsumer.class);

    /** How this viewer behaves. */
    public enum Mode {
        /** Answers the producer's offer. */
        ANSWER,
        /** Sends its own offer in startSession (gstwebrtc-api's offer mode). */
        OFFER,
        /** Never answers. */
        SILENT,
        /** Answers with text that is not SDP. */
        GARBAGE,
        /** Answers, but neither sends nor takes ICE candidates: ICE cannot connect. */
        NO_ICE
    }

    private final Mode mode;
    private final ScheduledExecutorService executor;
    private final JdkWebSocketConnector connector;
    private final boolean ownConnector;
    private final Signaller signaller;
    private final String producerId;
    private final List<String> offeredVideo;
    private volatile boolean decode = true;
    private volatile boolean nack;
    private volatile boolean snapshots;
    private volatile int jitterMillis = -1;
    private volatile ShapedUdpRelay relay;

    private volatile WebrtcbinPeer peer;
    private Pointer dataChannel;
    private volatile String sessionId;
    private volatile String endedReason;
    private volatile String lastAnswerOrOffer;
    private final CompletableFuture<String> registered = new CompletableFuture<>();

    /**
     * @param offeredVideo for {@link Mode#OFFER}: the video codecs this viewer offers, in order
     */
    public TestConsumer(URI server, String producerId, Mode mode, List<String> offeredVideo) throws Exception {
        this(server, producerId, mode, offeredVideo, null);
    }

    /**
     * @param sharedConnector a WebSocket client to use (each JDK HttpClient keeps a selector thread until it is
     *                        garbage collected), or null for an own one, signed in as the test viewer
     */
    public TestConsumer(URI server, String producerId, Mode mode, List<String> offeredVideo,
            JdkWebSocketConnector sharedConnector) throws Exception {
        this.mode = mode;
        this.producerId = producerId;
        this.offeredVideo = offeredVideo;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "test-consumer");
            thread.setDaemon(true);
            return thread;
        });
        this.ownConnector = sharedConnector == null;
        this.connector = sharedConnector != null ? sharedConnector
                : new JdkWebSocketConnector(null, Duration.ofSeconds(5), () -> TestAccessControl.VIEWER_TOKEN);
        this.signaller = new Signaller(server, connector, List.of(), null, new Events(), executor,
                new Signaller.Timing(100_000, 100_000, 0, 100_000));
        signaller.start();
        registered.get(10, TimeUnit.SECONDS);
    }

    public TestConsumer(URI server, String producerId, Mode mode) throws Exception {
        this(server, producerId, mode, List.of("VP8", "H264"));
    }

    private final class Events implements Signaller.Listener {
        @Override
        public void onRegistered(String peerId) {
            registered.complete(peerId);
        }

        @Override
        public void onDisconnected(String reason) {
            endedReason = "disconnected: " + reason;
        }

        @Override
        public void onSessionStarted(String id, String peerId) {
            sessionId = id;
            if (mode == Mode.OFFER) {
                // the offer is already in startSession; only ICE goes out from here
                sendCandidates();
            }
        }

        @Override
        public void onSdp(String id, String type, String sdp) {
            if (!id.equals(sessionId)) {
                return;
            }
            if (type.equals("offer")) {
                answer(sdp);
            } else if (type.equals("answer")) {
                lastAnswerOrOffer = sdp;
                peer.accept(sdp).whenComplete((ignored, error) -> {
                    if (error != null) {
                        LOG.warn("Consumer: the producer's answer was refused: {}", error.toString());
                    }
                });
            }
        }

        @Override
        public void onIce(String id, int mlineIndex, String candidate) {
            if (id.equals(sessionId) && peer != null && mode != Mode.NO_ICE) {
                ShapedUdpRelay through = relay;
                String seen = through == null ? candidate : through.producerCandidate(candidate);
                if (seen != null) {
                    peer.addRemoteCandidate(mlineIndex, seen);
                }
            }
        }

        @Override
        public void onEndSession(String id) {
            if (id.equals(sessionId)) {
                endedReason = "endSession from the producer";
            }
        }
    }

    /** Only depayload, do not decode (benchmarks: the viewers' CPU is not what is measured). */
    public TestConsumer withoutDecoding() {
        decode = false;
        return this;
    }

    /** Meets the producer through this relay only (its packets, both ways). */
    public TestConsumer through(ShapedUdpRelay link) {
        relay = link;
        return this;
    }

    /** Asks for lost packets again (NACK) as browsers do ({@link WebrtcbinPeer#askingForLostPackets()}). */
    public TestConsumer askingForLostPackets() {
        nack = true;
        return this;
    }

    /** The jitter buffer's latency ({@link WebrtcbinPeer#latency(int)}); before {@link #start()}. */
    public TestConsumer latency(int millis) {
        jitterMillis = millis;
        return this;
    }

    /** Keeps the luma plane of a decoded frame every 10 frames ({@link #luma(int, int, int, int, int)}). */

    public TestConsumer withSnapshots() {
        snapshots = true;
        return this;
    }

    private interface DataChannel extends com.sun.jna.Library {
        DataChannel INSTANCE = com.sun.jna.Native.load("gobject-2.0", DataChannel.class);

        void g_signal_emit_by_name(Pointer instance, String signal, Object... args);

        void g_object_unref(Pointer object);
    }

    /** The caps of the decoded video (I420 from the decoders used here). */
    public String decodedCaps() {
        return peer == null ? null : peer.decodedCaps();
    }

    /** Mean luma (0-255) of a rectangle of the last snapshot, for a frame {@code width} pixels wide. */
    public double luma(int width, int x, int y, int w, int h) {
        return peer == null ? -1 : peer.luma(width, x, y, w, h);
    }

    /** Starts the session with the producer; on a test thread. */
    public TestConsumer start() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                WebrtcbinPeer built = WebrtcbinPeer.receiving("test-consumer", executor,
                        message -> LOG.info("Consumer: {}", message)).onAddresses(List.of("127.0.0.1"));
                if (!decode) {
                    built.withoutDecoding();
                }
                if (snapshots) {
                    built.withSnapshots();
                }
                if (nack) {
                    built.askingForLostPackets();
                }
                if (jitterMillis >= 0) {
                    built.latency(jitterMillis);
                }
                peer = built;
                if (mode == Mode.OFFER) {
                    for (String codec : offeredVideo) {
                        RtpCodec rtp = RtpCodec.forCodec(codec).orElseThrow();
                        peer.receive(rtp, rtp == RtpCodec.VP8 ? 120 : 121);
                    }
                    peer.receive(RtpCodec.OPUS, 109);
                    peer.play();
                    // gstwebrtc-api's offer mode opens a "control" data channel: an m=application line
                    com.sun.jna.ptr.PointerByReference channel = new com.sun.jna.ptr.PointerByReference();
                    DataChannel.INSTANCE.g_signal_emit_by_name(peer.webrtcbin(), "create-data-channel", "control",
                            null, channel);
                    dataChannel = channel.getValue();
                    peer.offer().whenCompleteAsync((offer, error) -> {
                        if (error != null) {
                            started.completeExceptionally(error);
                            return;
                        }
                        lastAnswerOrOffer = offer;
                        signaller.startSession(producerId, offer);
                        started.complete(null);
                    }, executor);
                } else {
                    peer.play();
                    signaller.startSession(producerId, null);
                    started.complete(null);
                }
            } catch (Exception e) {
                started.completeExceptionally(e);
            }
        });
        started.get(10, TimeUnit.SECONDS);
        return this;
    }

    private void sendCandidates() {
        if (mode != Mode.NO_ICE) {
            peer.sendCandidatesTo((mlineIndex, candidate) -> {
                ShapedUdpRelay through = relay;
                String seen = through == null ? candidate : through.viewerCandidate(candidate);
                if (seen != null) {
                    signaller.sendIce(sessionId, mlineIndex, seen);
                }
            });
        }
    }

    private void answer(String offer) {
        lastAnswerOrOffer = offer;
        if (mode == Mode.SILENT) {
            return;
        }
        if (mode == Mode.GARBAGE) {
            signaller.sendSdp(sessionId, "answer", "this is not an SDP answer");
            return;
        }
        peer.answer(offer).whenCompleteAsync((answer, error) -> {
            if (error != null) {
                LOG.error("Consumer cannot answer: {}", error.toString());
                return;
            }
            signaller.sendSdp(sessionId, "answer", answer);
            sendCandidates();
        }, executor);
    }

    // --- what the test looks at -------------------------------------------------------------------------------

    public String peerId() {
        return registered.getNow(null);
    }

    public String sessionId() {
        return sessionId;
    }

    @Override
    public long videoFrames() {
        return peer == null ? 0 : peer.videoFrames();
    }

    /** Counts the RTCP packets the producer sends from now on ({@link WebrtcbinPeer#countReportsReceived()}). */
    public AtomicLong countReportsReceived() {
        return peer.countReportsReceived();
    }

    public long audioBuffers() {
        return peer == null ? 0 : peer.audioBuffers();
    }

    public String videoCodec() {
        return peer == null ? null : peer.videoCodec();
    }

    public String audioCodec() {
        return peer == null ? null : peer.audioCodec();
    }

    /** Milliseconds from startSession to the first decoded video frame, or -1. */
    @Override
    public long firstFrameMillis() {
        return peer == null ? -1 : peer.firstFrameMillis();
    }

    public String endedReason() {
        return endedReason;
    }

    /** The producer's offer (or our own offer in offer mode), once known. */
    public String remoteOffer() {
        return lastAnswerOrOffer;
    }

    /** Asks for a key frame the way a decoder that lost packets does: rtpbin turns it into RTCP PLI. */
    public void requestKeyFrame() {
        if (peer != null) {
            peer.requestKeyFrame();
        }
    }

    /** Sends endSession, as a viewer closing its player does. */
    public void endSession() {
        signaller.endSession(sessionId);
    }

    /** Drops the signalling connection without a word, as a viewer whose process died. */
    public void vanish() throws Exception {
        signaller.drop();
        executor.submit(this::stopPipeline).get(20, TimeUnit.SECONDS);
    }

    private void stopPipeline() {
        if (peer != null) {
            peer.close();
            if (dataChannel != null) {
                DataChannel.INSTANCE.g_object_unref(dataChannel);
                dataChannel = null;
            }
        }
    }

    @Override
    public void close() {
        signaller.close();
        WebrtcbinPeer.stopOn(executor, this::stopPipeline, message -> LOG.warn("Consumer {}", message));
        if (ownConnector) {
            connector.close();
        }
    }
}
