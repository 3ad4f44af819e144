package io.pistream.webrtc.receiver.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Pointer;

import io.pistream.api.Codecs;
import io.pistream.api.EncodedBuffer;
import io.pistream.api.EncodedStreamSink;
import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.api.SourceStatus;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.AppSrcSink;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.GstDirect;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.LibGstApp;
import io.pistream.gstreamer.jna.NativeBuffer;
import io.pistream.gstreamer.jna.Signals;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.GhostPad;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.Natives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picture-in-picture: the received video drawn small over a camera's picture, as a source of its own in the
 * hub (so that it is encoded once, on demand, and offered by a producer like any camera).
 * <p>
 * The camera is not opened again: the composite subscribes to the hub's encoded camera stream and decodes it
 * ({@code appsrc ! decoder ! compositor.sink_0}); the received video comes from the receiver session's appsink
 * ({@code appsrc ! compositor.sink_1}, a quarter of the size, top right). Without a receiver session the inset
 * is transparent.
 */
public final class CompositeSource implements MediaSource, ReceiverSession.VideoConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(CompositeSource.class);
    private static final Pattern NUMBER = Pattern.compile("(width|height)=(?:\\(int\\))?(\\d+)");

    private final String id;
    private final String cameraId;
    private final MediaHub hub;
    private final int width;
    private final int height;
    private final int insetWidth;
    private final int insetHeight;

    /** The inset feed of the running composite pipeline, or null. */
    private volatile AppSrcSink inset;
    private volatile Pad insetPad;
    private volatile String insetCaps;
    private volatile String activeSession;
    private volatile Subscription cameraSubscription;
    private final AtomicLong insetFrames = new AtomicLong();
    /** The new-sample connections of the receiver sessions' appsinks, by session. */
    private final Map<String, Signals.Connection> insetSinks = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param id       id of the composite source in the hub, e.g. {@code camera-pip}
     * @param cameraId the source drawn full size
     */
    public CompositeSource(String id, String cameraId, MediaHub hub) {
        this.id = id;
        this.cameraId = cameraId;
        this.hub = hub;
        int[] size = cameraSize(hub, cameraId);
        this.width = size[0];
        this.height = size[1];
        this.insetWidth = even(width / 4);
        this.insetHeight = even(height / 4);
    }

    private static int even(int value) {
        return Math.max(2, value & ~1);
    }

    private static int[] cameraSize(MediaHub hub, String cameraId) {
        int[] size = {1280, 720};
        for (SourceStatus source : hub.sources()) {
            if (source.id().equals(cameraId) && source.rawCaps() != null) {
                Matcher matcher = NUMBER.matcher(source.rawCaps());
                while (matcher.find()) {
                    size[matcher.group(1).equals("width") ? 0 : 1] = Integer.parseInt(matcher.group(2));
                }
            }
        }
        return size;
    }

    /** Stops feeding; call when the receiver stops. */
    public void close() {
        closed = true;
        insetSinks.values().forEach(Signals.Connection::close);
        insetSinks.clear();
        Subscription subscription = cameraSubscription;
        if (subscription != null) {
            subscription.close();
        }
    }

    public long insetFrames() {
        return insetFrames.get();
    }

    // --- MediaSource ------------------------------------------------------------------------------------------

    @Override
    public String id() {
        return id;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public String name() {
        return "received video over " + cameraId;
    }

    @Override
    public String rawCaps() {
        return Elements.rawVideoCaps(width, height, 30);
    }

    /** Called by the hub on its control thread each time it (re)starts the composite. */
    @Override
    public Element createElement() throws MediaException {
        Element mainSrc = Elements.make("appsrc", "camera-in");
        AppSrcSink mainFeed = new AppSrcSink((AppSrc) mainSrc);
        Element insetSrc = Elements.make("appsrc", "inset-in");
        AppSrcSink insetFeed = new AppSrcSink((AppSrc) insetSrc);
        Element compositor = Elements.make("compositor", "compositor");
        compositor.setAsString("background", "black");
        compositor.set("ignore-inactive-pads", true);
        compositor.set("latency", 100_000_000L);
        Element out = Elements.make("videoconvert", null);
        Element outCaps = Elements.capsFilter(null, rawCaps());

        // subscribe first: the decoder depends on the codec the hub can encode the camera in
        StartingFeed cameraFeed = new StartingFeed(mainFeed);
        String codec = null;
        Subscription subscription = null;
        MediaException refused = null;
        for (String candidate : List.of(Codecs.H264, Codecs.VP8)) {
            try {
                subscription = hub.subscribe(cameraId, candidate, cameraFeed);
                codec = candidate;
                break;
            } catch (MediaException e) {
                refused = e;
            }
        }
        if (subscription == null) {
            throw new MediaException("picture-in-picture cannot get source '" + cameraId + "' (composite.source) "
                    + "as H.264 or VP8: " + (refused == null ? "" : refused.getMessage()), refused);
        }
        cameraFeed.subscription = subscription;
        Element decoder = Elements.make(codec.equals(Codecs.H264) ? "avdec_h264" : "vp8dec", null);
        Bin bin = new Bin("composite-" + id);
        Element mainConvert = Elements.make("videoconvert", null);
        Element mainScale = Elements.make("videoscale", null);
        Element mainCaps = Elements.capsFilter(null, "video/x-raw,format=I420,width=" + width + ",height=" + height);
        Element insetConvert = Elements.make("videoconvert", null);
        Element insetScale = Elements.make("videoscale", null);
        Element insetCapsFilter = Elements.capsFilter(null, "video/x-raw,format=I420,width=" + insetWidth
                + ",height=" + insetHeight);
        bin.addMany(mainSrc, decoder, mainConvert, mainScale, mainCaps, insetSrc, insetConvert, insetScale,
                insetCapsFilter, compositor, out, outCaps);
        if (!Element.linkMany(mainSrc, decoder, mainConvert, mainScale, mainCaps)
                || !Element.linkMany(insetSrc, insetConvert, insetScale, insetCapsFilter)
                || !Element.linkMany(compositor, out, outCaps)) {
            throw new MediaException("cannot link the picture-in-picture bin");
        }
        Pad mainPad = compositor.getRequestPad("sink_%u");
        Pad overPad = compositor.getRequestPad("sink_%u");
        mainCaps.getStaticPad("src").link(mainPad);
        insetCapsFilter.getStaticPad("src").link(overPad);
        overPad.set("xpos", width - insetWidth - width / 40);
        overPad.set("ypos", height / 40);
        overPad.set("zorder", 1);
        overPad.set("alpha", activeSession == null ? 0.0 : 1.0);
        bin.addPad(new GhostPad("src", outCaps.getStaticPad("src")));

        // the previous pipeline's subscription ends by itself (its appsrc flushes); this one feeds the new one
        String chosen = codec;
        cameraSubscription = subscription;
        inset = insetFeed;
        insetPad = overPad;
        insetCaps = null;
        LOG.info("Picture-in-picture '{}': {} ({}) with the received video at {}x{}", id, cameraId, chosen,
                insetWidth, insetHeight);
        return bin;
    }

    /**
     * The camera feed of a composite pipeline that the hub has not started yet: until its appsrc takes a first
     * buffer, a refused push is not the end of the subscription; once it does, a key frame is asked for, since
     * what came before was dropped.
     */
    private static final class StartingFeed implements EncodedStreamSink {
        private final AppSrcSink target;
        private volatile boolean started;
        volatile Subscription subscription;

        StartingFeed(AppSrcSink target) {
            this.target = target;
        }

        @Override
        public void onCaps(String caps) {
            target.onCaps(caps);
        }

        @Override
        public boolean onBuffer(EncodedBuffer buffer) {
            boolean accepted = target.onBuffer(buffer);
            if (accepted && !started) {
                started = true;
                Subscription current = subscription;
                if (current != null) {
                    current.requestKeyFrame();
                }
            }
            return accepted || !started;
        }
    }

    // --- the received video -----------------------------------------------------------------------------------

    /** {@code videoconvert ! videoscale ! I420 at inset size ! appsink}: scaled before it crosses over. */
    @Override
    public Element createSink(String sessionId) throws MediaException {
        Element convert = Elements.make("videoconvert", null);
        Element scale = Elements.make("videoscale", null);
        Element caps = Elements.capsFilter(null, "video/x-raw,format=I420,width=" + insetWidth + ",height="
                + insetHeight);
        Element sink = Elements.make("appsink", null);
        sink.set("sync", false);
        sink.set("async", false);
        sink.set("max-buffers", 2);
        sink.set("drop", true);
        sink.set("emit-signals", true);
        Signals.Connection previous = insetSinks.put(sessionId,
                Signals.connect(Natives.getRawPointer(sink), "new-sample", this::onInsetSample));
        if (previous != null) {
            previous.close();
        }
        activeSession = sessionId;
        Pad pad = insetPad;
        if (pad != null) {
            pad.set("alpha", 1.0);
        }
        return Elements.chain("inset-" + sessionId, convert, scale, caps, sink);
    }

    @Override
    public void released(String sessionId) {
        Signals.Connection connection = insetSinks.remove(sessionId);
        if (connection != null) {
            connection.close();
        }
        if (sessionId.equals(activeSession)) {
            activeSession = null;
            Pad pad = insetPad;
            if (pad != null) {
                pad.set("alpha", 0.0);
            }
        }
    }

    /** On the receiver session's streaming thread. */
    private int onInsetSample(Pointer appsink) {
        Pointer sample = LibGstApp.gst_app_sink_try_pull_sample(appsink, 0);
        if (sample == null) {
            return GstDirect.FLOW_OK;
        }
        try {
            if (!closed) {
                insetSample(sample);
            }
        } catch (RuntimeException e) {
            LOG.warn("Composite inset failed: {}", e.toString());
        } finally {
            LibGst.gst_mini_object_unref(sample);
        }
        return GstDirect.FLOW_OK;
    }

    private void insetSample(Pointer sample) {
        AppSrcSink feed = inset;
        if (feed == null) {
            return;
        }
        Pointer caps = LibGst.gst_sample_get_caps(sample);
        if (caps != null) {
            String text = GstDirect.capsToString(caps);
            if (!text.equals(insetCaps)) {
                insetCaps = text;
                feed.onCaps(text);
            }
        }
        Pointer buffer = LibGst.gst_sample_get_buffer(sample);
        if (buffer == null) {
            return;
        }
        NativeBuffer.Lent lent = NativeBuffer.lend(buffer);
        try {
            if (feed.onBuffer(lent)) {
                insetFrames.incrementAndGet();
            }
        } finally {
            lent.endLoan();
        }
    }
}
