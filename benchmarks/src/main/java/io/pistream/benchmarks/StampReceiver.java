package io.pistream.benchmarks;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Supplier;

import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.LibGstApp;
import io.pistream.latency.FrameStamp;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * A GStreamer viewer that decodes H.264 as soon as it arrives (no jitter-buffer delay, no clock sync, slice
 * threads in the decoder) and reads the {@link FrameStamp} of every frame: capture-to-decoded latency, and the
 * time from starting the client to its first decoded frame.
 */
final class StampReceiver implements AutoCloseable {

    /** What the receiver saw. */
    record Result(List<Long> latenciesMillis, int unreadable, long firstFrameMillis, String size) {
    }

    /** Starts the client that feeds the sink. */
    @FunctionalInterface
    interface Start {
        void run() throws Exception;
    }

    private final Start start;
    private final AutoCloseable client;
    private final AppSink sink;

    private StampReceiver(Pipeline pipeline, AppSink sink) {
        this(pipeline::play, () -> {
            pipeline.setState(State.NULL);
            pipeline.dispose();
        }, sink);
    }

    private StampReceiver(Start start, AutoCloseable client, AppSink sink) {
        this.start = start;
        this.client = client;
        this.sink = sink;
    }

    /**
     * Reads the stamps of a client with a pipeline of its own (a WHEP or Janus viewer), which puts {@code tail}'s
     * elements after its H.264 depayloader: the same parser, decoder and reading as the RTSP and RTP receivers.
     * {@code start} starts the client (the time to first frame counts from it); closing closes the client.
     */
    static StampReceiver fedBy(Tail tail, Start start, AutoCloseable client) {
        return new StampReceiver(start, client, tail.sink);
    }

    /** The decoding end of an outside client's video: made when its stream appears, on its streaming thread. */
    static final class Tail implements Supplier<List<Element>> {
        private final AppSink sink;

        Tail() throws MediaException {
            sink = (AppSink) Elements.make("appsink", null);
        }

        @Override
        public List<Element> get() {
            try {
                return decoding(sink);
            } catch (MediaException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Receives RTP/H.264 pushed to {@code port} on loopback, as the seed's receiver does. */
    static StampReceiver rtp(int port, int payload) throws Exception {
        Element udp = Elements.make("udpsrc", null);
        udp.set("address", "127.0.0.1");
        udp.set("port", port);
        udp.setCaps(Caps.fromString("application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload="
                + payload));
        Pipeline pipeline = new Pipeline("rtp-receiver");
        Element depay = Elements.make("rtph264depay", null);
        pipeline.add(udp);
        AppSink sink = decodeTo(pipeline, depay);
        udp.link(depay);
        return new StampReceiver(pipeline, sink);
    }

    /** Plays an RTSP URL with {@code rtspsrc latency=0}, as a low-latency player does. */
    static StampReceiver rtsp(String url) throws Exception {
        Element rtsp = Elements.make("rtspsrc", null);
        rtsp.set("location", url);
        rtsp.set("latency", 0);
        Pipeline pipeline = new Pipeline("rtsp-receiver");
        Element depay = Elements.make("rtph264depay", null);
        pipeline.add(rtsp);
        AppSink sink = decodeTo(pipeline, depay);
        rtsp.connect((Element.PAD_ADDED) (element, pad) -> {
            Structure caps = pad.getCurrentCaps().getStructure(0);
            if ("video".equals(caps.getString("media")) && !depay.getStaticPad("sink").isLinked()) {
                pad.link(depay.getStaticPad("sink"));
            }
        });
        return new StampReceiver(pipeline, sink);
    }

    private static AppSink decodeTo(Pipeline pipeline, Element depay) throws Exception {
        AppSink sink = (AppSink) Elements.make("appsink", null);
        List<Element> chain = new ArrayList<>(List.of(depay));
        chain.addAll(decoding(sink));
        Element[] elements = chain.toArray(Element[]::new);
        pipeline.addMany(elements);
        if (!Element.linkMany(elements)) {
            throw new IllegalStateException("cannot link the receiver");
        }
        return sink;
    }

    /** What follows the depayloader: parse, decode at once, grey pixels into {@code sink}. */
    private static List<Element> decoding(AppSink sink) throws MediaException {
        Element decoder = Elements.make("avdec_h264", null);
        decoder.setAsString("thread-type", "slice"); // frame threads hold frames back
        decoder.set("output-corrupt", false);
        sink.set("sync", false);
        sink.set("max-buffers", 5);
        sink.set("drop", false);
        return List.of(Elements.make("h264parse", null), decoder, Elements.make("videoconvert", null),
                Elements.capsFilter(null, "video/x-raw,format=GRAY8"), sink);
    }

    /** Plays until {@code frames} stamps were read (after skipping {@code skip} frames) or the time is up. */
    Result collect(int skip, int frames, Duration timeout) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        this.start.run();
        List<Long> latencies = new ArrayList<>();
        int unreadable = 0;
        long firstFrame = -1;
        String size = "";
        int seen = 0;
        while (latencies.size() < frames && System.nanoTime() < deadline) {
            Pointer pulled = LibGstApp.gst_app_sink_try_pull_sample(Natives.getRawPointer(sink), 200_000_000L);
            if (pulled == null) {
                continue;
            }
            Sample sample = Natives.objectFor(pulled, Sample.class, false, true);
            long now = System.currentTimeMillis();
            if (firstFrame < 0) {
                firstFrame = (System.nanoTime() - start) / 1_000_000;
            }
            try {
                Structure caps = sample.getCaps().getStructure(0);
                int width = caps.getInteger("width");
                int height = caps.getInteger("height");
                size = width + "x" + height;
                if (seen++ < skip) {
                    continue;
                }
                Buffer buffer = sample.getBuffer();
                ByteBuffer luma = buffer.map(false);
                try {
                    // GRAY8 rows are padded to a multiple of 4 bytes
                    OptionalLong stamp = FrameStamp.read(luma, width, height, (width + 3) & ~3);
                    if (stamp.isPresent()) {
                        latencies.add(FrameStamp.elapsed(stamp.getAsLong(), now));
                    } else {
                        unreadable++;
                    }
                } finally {
                    buffer.unmap();
                }
            } finally {
                sample.dispose();
            }
        }
        return new Result(latencies, unreadable, firstFrame, size);
    }

    @Override
    public void close() throws Exception {
        client.close();
    }
}
