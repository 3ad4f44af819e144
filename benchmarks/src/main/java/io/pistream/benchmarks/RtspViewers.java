package io.pistream.benchmarks;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.internal.GstInit;
import io.pistream.webrtc.benchmark.ViewerCommandLoop;
import io.pistream.webrtc.benchmark.ViewerProcess;

import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.PadProbeType;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;

/**
 * RTSP viewers in a process of their own, so that their CPU is not counted as the server's: each is
 * {@code rtspsrc ! rtph264depay ! fakesink} (no decoding, the cheapest real client) and counts the frames it
 * gets. Driven over stdin like the WebRTC viewers of {@code ConsumerSwarm} ({@link ViewerCommandLoop}); the
 * decode flag is ignored.
 */
public final class RtspViewers {

    private RtspViewers() {
    }

    /** A process of such viewers of {@code url}. */
    static ViewerProcess start(String url) throws IOException {
        return ViewerProcess.start("RTSP", RtspViewers.class.getName(), url);
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        GstInit.ensure();
        ViewerCommandLoop.serve(decode -> new Viewer(url));
    }

    private static final class Viewer implements ViewerCommandLoop.Viewer {
        private final Pipeline pipeline = new Pipeline();
        private final AtomicLong frames = new AtomicLong();
        private final long startNanos = System.nanoTime();
        private volatile long firstFrameNanos;

        Viewer(String url) throws Exception {
            Element rtsp = Elements.make("rtspsrc", null);
            rtsp.set("location", url);
            rtsp.set("latency", 0);
            Element depay = Elements.make("rtph264depay", null);
            Element sink = Elements.make("fakesink", null);
            sink.set("sync", false);
            pipeline.addMany(rtsp, depay, sink);
            depay.link(sink);
            rtsp.connect((Element.PAD_ADDED) (element, pad) -> {
                if (!depay.getStaticPad("sink").isLinked()) {
                    pad.link(depay.getStaticPad("sink"));
                }
            });
            depay.getStaticPad("src").addProbe(PadProbeType.BUFFER, (pad, info) -> {
                if (frames.getAndIncrement() == 0) {
                    firstFrameNanos = System.nanoTime();
                }
                return PadProbeReturn.OK;
            });
            pipeline.play();
        }

        @Override
        public long videoFrames() {
            return frames.get();
        }

        @Override
        public long firstFrameMillis() {
            long first = firstFrameNanos;
            return first == 0 ? -1 : (first - startNanos) / 1_000_000;
        }

        @Override
        public void close() {
            pipeline.setState(State.NULL);
            pipeline.dispose();
        }
    }
}
