package io.pistream.webrtc.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.Signals;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.WebRtcNative;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.NativeObject;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * One {@code webrtcbin} in a test pipeline, the part every test peer shares whatever its signalling: the SDP steps
 * as futures, its own candidates held until the other side may have them, the other side's held until the remote
 * description is set, and what arrives depayloaded, decoded (or not) and counted. Build, drive and close it on
 * the one executor thread given; loopback only.
 */
public final class WebrtcbinPeer implements AutoCloseable {

    private static final int SDP_TIMEOUT_MILLIS = 10_000;

    private final ScheduledExecutorService executor;
    private final Consumer<String> log;
    private final Pipeline pipeline;
    private final Element webrtcbinElement;
    private final Pointer webrtcbin;
    private final List<NativeObject> wrappers = new CopyOnWriteArrayList<>();
    private final List<Object[]> gathered = new CopyOnWriteArrayList<>();
    private final List<Object[]> heldLocal = new CopyOnWriteArrayList<>();
    private final List<Object[]> heldRemote = new CopyOnWriteArrayList<>();
    private final AtomicLong videoFrames = new AtomicLong();
    private final AtomicLong audioBuffers = new AtomicLong();
    private final long handlerKey;
    private final long videoKey;
    private final long audioKey;
    private volatile BiConsumer<Integer, String> candidateSink;
    private volatile boolean remoteSet;
    private volatile boolean decode = true;
    private volatile boolean snapshots;
    private volatile Supplier<List<Element>> videoTail;
    private volatile boolean closed;
    private volatile long startNanos = System.nanoTime();
    private volatile long firstFrameNanos;
    private volatile String decodedCaps;
    private volatile String videoCodec;
    private volatile String audioCodec;
    private volatile Pointer videoDepayloader;
    private volatile byte[] lastLuma;
    private volatile Signals.Connection reportWatch;

    private WebrtcbinPeer(Pipeline pipeline, Element webrtcbin, ScheduledExecutorService executor,
            Consumer<String> log) {
        this.executor = executor;
        this.log = log;
        this.pipeline = pipeline;
        this.webrtcbinElement = webrtcbin;
        this.webrtcbin = Natives.getRawPointer(webrtcbin);
        this.handlerKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onIceCandidate(int mlineIndex, String candidate) {
                if (candidate != null && !candidate.isEmpty()) {
                    gathered.add(new Object[] {mlineIndex, candidate});
                }
                executor.execute(() -> {
                    BiConsumer<Integer, String> sink = candidateSink;
                    if (sink != null) {
                        sink.accept(mlineIndex, candidate);
                    } else {
                        heldLocal.add(new Object[] {mlineIndex, candidate});
                    }
                });
            }

            @Override
            public void onPadAdded(Pointer pad) {
                decode(pad);
            }
        });
        WebRtcNative.connectSignals(this.webrtcbin, handlerKey);
        this.videoKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onBuffer(Pointer pad, Pointer buffer) {
                long frame = videoFrames.incrementAndGet();
                if (frame == 1) {
                    firstFrameNanos = System.nanoTime();
                }
                if (frame % 10 == 1) {
                    // the size changes when the producer moves the viewer to another tier
                    decodedCaps = WebRtcNative.padCaps(pad);
                }
                if (snapshots && frame % 10 == 0) {
                    lastLuma = luma(buffer);
                }
            }
        });
        this.audioKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onBuffer(Pointer pad, Pointer buffer) {
                audioBuffers.incrementAndGet();
            }
        });
    }

    /**
     * A pipeline of one bare {@code webrtcbin} (max-bundle) that decodes what it is sent; add what it receives
     * with {@link #receive(RtpCodec, int)} when it offers.
     *
     * @param log where the peer says what it decodes and what went wrong, for failure messages
     */
    public static WebrtcbinPeer receiving(String name, ScheduledExecutorService executor, Consumer<String> log)
            throws MediaException {
        Pipeline pipeline = new Pipeline(name);
        Element bin = Elements.make("webrtcbin", null);
        pipeline.add(bin);
        WebRtcNative.setInt(Natives.getRawPointer(bin), "bundle-policy", WebRtcNative.BUNDLE_MAX_BUNDLE);
        WebrtcbinPeer peer = new WebrtcbinPeer(pipeline, bin, executor, log);
        peer.wrappers.add(bin);
        return peer;
    }

    /**
     * A pipeline parsed from fixed test text (the product never parses launch lines) that holds a
     * {@code webrtcbin} named {@code webrtcbin}, with the media it sends linked to it.
     */
    public static WebrtcbinPeer sending(String name, String description, ScheduledExecutorService executor,
            Consumer<String> log) {
        Bin media = Gst.parseBinFromDescription(description, false);
        Pipeline pipeline = new Pipeline(name);
        pipeline.add(media);
        WebrtcbinPeer peer = new WebrtcbinPeer(pipeline, media.getElementByName("webrtcbin"), executor, log);
        peer.wrappers.add(media);
        return peer;
    }

    /** Gathers candidates on these addresses only (loopback, or those of this machine a peer offers). */
    public WebrtcbinPeer onAddresses(List<String> addresses) {
        WebRtcNative.addLocalIpAddresses(webrtcbin, addresses);
        return this;
    }

    /** Only depayload, do not decode (benchmarks: the viewers' CPU is not what is measured). */
    public WebrtcbinPeer withoutDecoding() {
        decode = false;
        return this;
    }

    /**
     * Video goes from the depayloader into these elements (made on the streaming thread; the last one's frames are
     * counted) instead of a decoder and a fake sink: the benchmark suite reads its frame stamps this way.
     */
    public WebrtcbinPeer videoTail(Supplier<List<Element>> tail) {
        videoTail = tail;
        return this;
    }

    /** The jitter buffer's latency (webrtcbin's default is 200 ms); before the session starts. */
    public WebrtcbinPeer latency(int millis) {
        webrtcbinElement.set("latency", millis);
        return this;
    }

    /**
     * Asks for lost packets again (NACK), as browsers do, on every stream of the offer it answers: its jitter
     * buffer waits for the retransmission instead of giving the packet up.
     */
    public WebrtcbinPeer askingForLostPackets() {
        WebRtcNative.askForLostPackets(webrtcbin, handlerKey);
        return this;
    }

    /** Keeps the luma plane of a decoded frame every 10 frames ({@link #luma(int, int, int, int, int)}). */
    public WebrtcbinPeer withSnapshots() {
        snapshots = true;
        return this;
    }

    /** Offers to receive this codec with this payload type. */
    public void receive(RtpCodec codec, int payloadType) {
        WebRtcNative.addTransceiver(webrtcbin, WebRtcNative.DIRECTION_RECVONLY, codec.offerCaps(payloadType));
    }

    /** Plays; the time to the first frame counts from here. */
    public void play() {
        pipeline.play();
        startNanos = System.nanoTime();
    }

    public Pointer webrtcbin() {
        return webrtcbin;
    }

    // --- SDP ------------------------------------------------------------------------------------------------

    /** Creates an offer and sets it as the local description; completes with its text. */
    public CompletableFuture<String> offer() {
        return createLocal(true);
    }

    /** Sets the remote offer, creates the answer and sets it as the local description; completes with its text. */
    public CompletableFuture<String> answer(String offer) {
        return setRemote(true, offer).thenCompose(ignored -> createLocal(false));
    }

    /** Sets the other side's answer to this peer's offer. */
    public CompletableFuture<Void> accept(String answer) {
        return setRemote(false, answer);
    }

    private CompletableFuture<String> createLocal(boolean offer) {
        return WebRtcNative.createDescription(webrtcbin, offer, executor, SDP_TIMEOUT_MILLIS)
                .thenCompose(sdp -> WebRtcNative.setDescription(webrtcbin, true,
                        offer ? WebRtcNative.SDP_OFFER : WebRtcNative.SDP_ANSWER, sdp, executor, SDP_TIMEOUT_MILLIS)
                        .thenApply(ignored -> sdp));
    }

    private CompletableFuture<Void> setRemote(boolean offer, String sdp) {
        return WebRtcNative.setDescription(webrtcbin, false, offer ? WebRtcNative.SDP_OFFER : WebRtcNative.SDP_ANSWER,
                sdp, executor, SDP_TIMEOUT_MILLIS).thenRunAsync(() -> {
                    remoteSet = true;
                    heldRemote.forEach(candidate -> add(candidate));
                    heldRemote.clear();
                }, executor);
    }

    // --- ICE ------------------------------------------------------------------------------------------------

    /** From now on this peer's candidates go to the sink, those gathered so far first; on the executor. */
    public void sendCandidatesTo(BiConsumer<Integer, String> sink) {
        heldLocal.forEach(candidate -> sink.accept((Integer) candidate[0], (String) candidate[1]));
        heldLocal.clear();
        candidateSink = sink;
    }

    /** The candidates gathered so far, as {@code {mlineIndex, candidate}}. */
    public List<Object[]> gatheredCandidates() {
        return List.copyOf(gathered);
    }

    /** Waits (from a test thread) until ICE gathering is complete, or goes on with what it has after a while. */
    public void awaitGathering(Duration atMost) {
        try {
            Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> executor
                    .submit(() -> WebRtcNative.getInt(webrtcbin, "ice-gathering-state")).get()
                    == WebRtcNative.ICE_GATHERING_COMPLETE);
        } catch (ConditionTimeoutException e) {
            log.accept("ICE gathering not complete after " + atMost + ": " + gathered.size() + " candidates");
        }
    }

    /** Adds the other side's candidate, once the remote description is set. */
    public void addRemoteCandidate(int mlineIndex, String candidate) {
        executor.execute(() -> {
            if (remoteSet) {
                add(new Object[] {mlineIndex, candidate});
            } else {
                heldRemote.add(new Object[] {mlineIndex, candidate});
            }
        });
    }

    private void add(Object[] candidate) {
        if (!closed) {
            WebRtcNative.addIceCandidate(webrtcbin, (Integer) candidate[0], (String) candidate[1]);
        }
    }

    // --- what arrives ---------------------------------------------------------------------------------------

    /** On the streaming thread that added the pad: depayload, decode, count. */
    private void decode(Pointer padPointer) {
        String caps = WebRtcNative.padCaps(padPointer);
        if (caps == null || !caps.startsWith("application/x-rtp")) {
            return;
        }
        String encoding = caps.replaceAll(".*encoding-name=\\(string\\)([A-Za-z0-9]+).*", "$1").toUpperCase();
        RtpCodec codec = RtpCodec.forEncodingName(encoding).orElse(null);
        if (codec == null) {
            log.accept("unexpected stream " + caps);
            return;
        }
        try {
            Element depay = Elements.make(codec.depayloader(), null);
            List<Element> elements = new ArrayList<>(List.of(depay));
            Supplier<List<Element>> tail = videoTail;
            if (codec.isVideo() && tail != null) {
                elements.addAll(tail.get());
            } else {
                elements.add(decode ? Elements.make(codec.decoder(), null) : Elements.make("identity", null));
                Element fake = Elements.make("fakesink", null);
                fake.set("sync", false);
                fake.set("async", false);
                elements.add(fake);
            }
            Element sink = elements.get(elements.size() - 1);
            Bin chain = Elements.chain(null, elements.toArray(Element[]::new));
            wrappers.addAll(elements);
            wrappers.add(chain);
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
            log.accept("decoding " + codec);
        } catch (MediaException | RuntimeException e) {
            log.accept("cannot decode " + caps + ": " + e);
        }
    }

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

    /** The caps of the decoded video, read every 10 frames (I420 from the decoders used here). */
    public String decodedCaps() {
        return decodedCaps;
    }

    /** Milliseconds from {@link #play()} (or {@link #markStart()}) to the first decoded video frame, or -1. */
    public long firstFrameMillis() {
        long first = firstFrameNanos;
        return first == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(first - startNanos);
    }

    /** {@link System#nanoTime()} at the first video frame, 0 before it. */
    public long firstFrameNanos() {
        return firstFrameNanos;
    }

    /** The time to the first frame counts from now, for a peer whose session starts after {@link #play()}. */
    public void markStart() {
        startNanos = System.nanoTime();
    }

    /** Asks for a key frame the way a decoder that lost packets does: rtpbin turns it into RTCP PLI. */
    public void requestKeyFrame() {
        Pointer depay = videoDepayloader;
        if (depay != null) {
            io.pistream.gstreamer.jna.GstDirect.requestKeyFrame(depay);
        }
    }

    /** Mean luma (0-255) of a rectangle of the last snapshot, for a frame {@code width} pixels wide; or -1. */
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

    private static byte[] luma(Pointer buffer) {
        long size = LibGst.gst_buffer_get_size(buffer).longValue();
        byte[] bytes = new byte[(int) Math.min(size, 16 * 1024 * 1024)];
        LibGst.gst_buffer_extract(buffer, new NativeLong(0), bytes, new NativeLong(bytes.length));
        return bytes;
    }

    /**
     * Runs {@code stop} on the executor the peer lives on, waits for it (20 s at most) and shuts the executor down. A
     * stop that fails or hangs is only reported to {@code log}: the test's clean-up goes on.
     */
    public static void stopOn(ScheduledExecutorService executor, Runnable stop, Consumer<String> log) {
        try {
            executor.submit(stop).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.accept("did not stop cleanly: " + e);
        }
        executor.shutdown();
    }

    /**
     * Counts, from now on, the RTCP packets the other side sends this peer (its sender reports and any feedback);
     * once the session is connected.
     *
     * @return the count, growing
     */
    public AtomicLong countReportsReceived() {
        Pointer session = WebRtcNative.rtpSession(webrtcbin);
        if (session == null) {
            throw new IllegalStateException("webrtcbin has no RTP session yet");
        }
        AtomicLong received = new AtomicLong();
        try {
            reportWatch = Signals.connect(session, "on-receiving-rtcp",
                    (Signals.ArgumentHandler) (rtpSession, buffer) -> received.incrementAndGet());
        } finally {
            LibGObject.g_object_unref(session);
        }
        return received;
    }

    /** Stops the pipeline and lets go of everything native; on the executor. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (reportWatch != null) {
            reportWatch.close();
        }
        WebRtcNative.unregister(handlerKey);
        WebRtcNative.unregister(videoKey);
        WebRtcNative.unregister(audioKey);
        pipeline.setState(State.NULL);
        wrappers.forEach(NativeObject::dispose);
        wrappers.clear();
        pipeline.dispose();
    }
}
