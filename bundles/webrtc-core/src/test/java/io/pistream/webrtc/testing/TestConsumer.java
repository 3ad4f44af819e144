package io.pistream.webrtc.testing;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;
import io.pistream.webrtc.benchmark.ViewerCommandLoop;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.WebRtcNative;
import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.Natives;
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
    private final List<org.freedesktop.gstreamer.glib.NativeObject> wrappers = new CopyOnWriteArrayList<>();
    private final Signaller signaller;
    private final String producerId;
    private final List<String> offeredVideo;
    private volatile boolean decode = true;
    private volatile boolean snapshots;

    private Pipeline pipeline;
    private Pointer webrtcbin;
    private long handlerKey;
    private long videoKey;
    private long audioKey;
    private volatile String sessionId;
    private volatile long startNanos;
    private final AtomicLong videoFrames = new AtomicLong();
    private final AtomicLong audioBuffers = new AtomicLong();
    private volatile byte[] lastLuma;
    private volatile String decodedCaps;
    private volatile Pointer videoDepayloader;
    private Pointer dataChannel;
    private volatile long firstFrameNanos;
    private volatile String videoCodec;
    private volatile String audioCodec;
    private volatile String endedReason;
    private volatile String lastAnswerOrOffer;
    private final CompletableFuture<String> registered = new CompletableFuture<>();
    private final List<Object[]> pendingCandidates = new CopyOnWriteArrayList<>();
    private volatile boolean remoteSet;
    private volatile boolean localSent;

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
                localSent = true;
                flushLocalCandidates();
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
                WebRtcNative.setDescription(webrtcbin, false, WebRtcNative.SDP_ANSWER, sdp, executor, 10_000)
                        .whenCompleteAsync((ignored, error) -> {
                            if (error != null) {
                                LOG.warn("Consumer: the producer's answer was refused: {}", error.toString());
                            } else {
                                remoteDescriptionSet();
                            }
                        }, executor);
            }
        }

        @Override
        public void onIce(String id, int mlineIndex, String candidate) {
            if (!id.equals(sessionId) || webrtcbin == null || mode == Mode.NO_ICE) {
                return;
            }
            if (remoteSet) {
                WebRtcNative.addIceCandidate(webrtcbin, mlineIndex, candidate);
            } else {
                pendingCandidates.add(new Object[] {mlineIndex, candidate});
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

    /** Keeps the luma plane of a decoded frame every 10 frames ({@link #luma(int, int, int, int)}). */
    public TestConsumer withSnapshots() {
        snapshots = true;
        return this;
    }

    private static byte[] luma(Pointer buffer) {
        long size = io.pistream.gstreamer.jna.LibGst.gst_buffer_get_size(buffer).longValue();
        byte[] bytes = new byte[(int) Math.min(size, 16 * 1024 * 1024)];
        com.sun.jna.Memory memory = new com.sun.jna.Memory(bytes.length);
        Extract.INSTANCE.gst_buffer_extract(buffer, new com.sun.jna.NativeLong(0), memory,
                new com.sun.jna.NativeLong(bytes.length));
        memory.read(0, bytes, 0, bytes.length);
        return bytes;
    }

    private interface DataChannel extends com.sun.jna.Library {
        DataChannel INSTANCE = com.sun.jna.Native.load("gobject-2.0", DataChannel.class);

        void g_signal_emit_by_name(Pointer instance, String signal, Object... args);

        void g_object_unref(Pointer object);
    }

    private interface Extract extends com.sun.jna.Library {
        Extract INSTANCE = com.sun.jna.Native.load("gstreamer-1.0", Extract.class);

        com.sun.jna.NativeLong gst_buffer_extract(Pointer buffer, com.sun.jna.NativeLong offset, Pointer dest,
                com.sun.jna.NativeLong size);
    }

    /** The caps of the decoded video (I420 from the decoders used here). */
    public String decodedCaps() {
        return decodedCaps;
    }

    /** Mean luma (0-255) of a rectangle of the last snapshot, for a frame {@code width} pixels wide. */
    public double luma(int width, int x, int y, int w, int h) {
        byte[] frame = lastLuma;
        if (frame == null) {
            return -1;
        }
        long sum = 0;
        for (int row = y; row < y + h; row++) {
            for (int column = x; column < x + w; column++) {
                sum += frame[row * width + column] & 0xff;
            }
        }
        return (double) sum / (w * h);
    }

    /** Starts the session with the producer; on a test thread. */
    public TestConsumer start() throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                buildPipeline();
                startNanos = System.nanoTime();
                if (mode == Mode.OFFER) {
                    for (String codec : offeredVideo) {
                        RtpCodec rtp = RtpCodec.forCodec(codec).orElseThrow();
                        WebRtcNative.addTransceiver(webrtcbin, WebRtcNative.DIRECTION_RECVONLY,
                                rtp.offerCaps(rtp == RtpCodec.VP8 ? 120 : 121));
                    }
                    WebRtcNative.addTransceiver(webrtcbin, WebRtcNative.DIRECTION_RECVONLY,
                            RtpCodec.OPUS.offerCaps(109));
                    pipeline.play();
                    // gstwebrtc-api's offer mode opens a "control" data channel: an m=application line
                    com.sun.jna.ptr.PointerByReference channel = new com.sun.jna.ptr.PointerByReference();
                    DataChannel.INSTANCE.g_signal_emit_by_name(webrtcbin, "create-data-channel", "control", null,
                            channel);
                    dataChannel = channel.getValue();
                    WebRtcNative.createDescription(webrtcbin, true, executor, 10_000).thenCompose(offer ->
                            WebRtcNative.setDescription(webrtcbin, true, WebRtcNative.SDP_OFFER, offer, executor,
                                    10_000).thenApply(ignored -> offer))
                            .whenCompleteAsync((offer, error) -> {
                                if (error != null) {
                                    started.completeExceptionally(error);
                                    return;
                                }
                                lastAnswerOrOffer = offer;
                                signaller.startSession(producerId, offer);
                                started.complete(null);
                            }, executor);
                } else {
                    pipeline.play();
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

    private void buildPipeline() throws MediaException {
        pipeline = new Pipeline("test-consumer");
        Element bin = Elements.make("webrtcbin", null);
        wrappers.add(bin);
        pipeline.add(bin);
        webrtcbin = Natives.getRawPointer(bin);
        WebRtcNative.setInt(webrtcbin, "bundle-policy", WebRtcNative.BUNDLE_MAX_BUNDLE);
        WebRtcNative.addLocalIpAddresses(webrtcbin, List.of("127.0.0.1"));
        handlerKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onIceCandidate(int mlineIndex, String candidate) {
                if (mode == Mode.NO_ICE) {
                    return;
                }
                executor.execute(() -> {
                    if (sessionId != null && localSent) {
                        signaller.sendIce(sessionId, mlineIndex, candidate);
                    } else {
                        localCandidates.add(new Object[] {mlineIndex, candidate});
                    }
                });
            }

            @Override
            public void onPadAdded(Pointer pad) {
                decode(pad);
            }
        });
        WebRtcNative.connectSignals(webrtcbin, handlerKey);
        videoKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onBuffer(Pointer pad, Pointer buffer) {
                long frame = videoFrames.incrementAndGet();
                if (frame == 1) {
                    firstFrameNanos = System.nanoTime();
                    decodedCaps = WebRtcNative.padCaps(pad);
                }
                if (snapshots && frame % 10 == 0) {
                    lastLuma = luma(buffer);
                }
            }
        });
        audioKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onBuffer(Pointer pad, Pointer buffer) {
                audioBuffers.incrementAndGet();
            }
        });
    }

    private final List<Object[]> localCandidates = new CopyOnWriteArrayList<>();

    private void flushLocalCandidates() {
        for (Object[] candidate : localCandidates) {
            signaller.sendIce(sessionId, (Integer) candidate[0], (String) candidate[1]);
        }
        localCandidates.clear();
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
        WebRtcNative.setDescription(webrtcbin, false, WebRtcNative.SDP_OFFER, offer, executor, 10_000)
                .thenCompose(ignored -> {
                    remoteDescriptionSet();
                    return WebRtcNative.createDescription(webrtcbin, false, executor, 10_000);
                })
                .thenCompose(answer -> WebRtcNative.setDescription(webrtcbin, true, WebRtcNative.SDP_ANSWER, answer,
                        executor, 10_000).thenApply(ignored -> answer))
                .whenCompleteAsync((answer, error) -> {
                    if (error != null) {
                        LOG.error("Consumer cannot answer: {}", error.toString());
                        return;
                    }
                    signaller.sendSdp(sessionId, "answer", answer);
                    localSent = true;
                    flushLocalCandidates();
                }, executor);
    }

    private void remoteDescriptionSet() {
        executor.execute(() -> {
            remoteSet = true;
            for (Object[] candidate : pendingCandidates) {
                WebRtcNative.addIceCandidate(webrtcbin, (Integer) candidate[0], (String) candidate[1]);
            }
            pendingCandidates.clear();
        });
    }

    /** On the streaming thread that added the pad: depayload, decode, count. */
    private void decode(Pointer padPointer) {
        String caps = WebRtcNative.padCaps(padPointer);
        if (caps == null || !caps.startsWith("application/x-rtp")) {
            return;
        }
        String encoding = caps.replaceAll(".*encoding-name=\\(string\\)([A-Za-z0-9]+).*", "$1").toUpperCase();
        RtpCodec codec = RtpCodec.forEncodingName(encoding).orElse(null);
        if (codec == null) {
            LOG.warn("Consumer: unexpected stream {}", caps);
            return;
        }
        try {
            Element depay = Elements.make(codec.depayloader(), null);
            Element decoder = decode ? Elements.make(codec.decoder(), null) : Elements.make("identity", null);
            Element sink = Elements.make("fakesink", null);
            sink.set("sync", false);
            sink.set("async", false);
            Bin chain = Elements.chain(null, depay, decoder, sink);
            wrappers.addAll(List.of(depay, decoder, sink, chain));
            pipeline.add(chain);
            chain.syncStateWithParent();
            WebRtcNative.probeBuffers(Natives.getRawPointer(sink.getStaticPad("sink")),
                    codec.isVideo() ? videoKey : audioKey);
            Pad pad = Natives.objectFor(padPointer, Pad.class, true, true);
            wrappers.add(pad);
            pad.link(chain.getStaticPad("sink"));
            if (codec.isVideo()) {
                videoDepayloader = Natives.getRawPointer(depay);
                videoCodec = codec.name();
            } else {
                audioCodec = codec.name();
            }
            LOG.info("Consumer: decoding {}", codec);
        } catch (MediaException | RuntimeException e) {
            LOG.error("Consumer: cannot decode {}", caps, e);
        }
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
        return videoFrames.get();
    }

    public long audioBuffers() {
        return audioBuffers.get();
    }

    public String videoCodec() {
        return videoCodec;
    }

    public String audioCodec() {
        return audioCodec;
    }

    /** Milliseconds from startSession to the first decoded video frame, or -1. */
    @Override
    public long firstFrameMillis() {
        long first = firstFrameNanos;
        return first == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(first - startNanos);
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
        Pointer depay = videoDepayloader;
        if (depay != null) {
            io.pistream.gstreamer.jna.GstDirect.requestKeyFrame(depay);
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
        if (pipeline != null) {
            WebRtcNative.unregister(handlerKey);
            WebRtcNative.unregister(videoKey);
            WebRtcNative.unregister(audioKey);
            pipeline.setState(State.NULL);
            if (dataChannel != null) {
                DataChannel.INSTANCE.g_object_unref(dataChannel);
                dataChannel = null;
            }
            wrappers.forEach(org.freedesktop.gstreamer.glib.NativeObject::dispose);
            wrappers.clear();
            pipeline.dispose();
            pipeline = null;
        }
    }

    @Override
    public void close() {
        signaller.close();
        try {
            executor.submit(this::stopPipeline).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Consumer did not stop cleanly: {}", e.toString());
        }
        executor.shutdown();
        if (ownConnector) {
            connector.close();
        }
    }
}
