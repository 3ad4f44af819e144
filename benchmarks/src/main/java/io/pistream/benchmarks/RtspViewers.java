package io.pistream.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.internal.GstInit;

import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.PadProbeType;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;

/**
 * RTSP viewers in a process of their own, so that their CPU is not counted as the server's: each is
 * {@code rtspsrc ! rtph264depay ! fakesink} (no decoding, the cheapest real client) and counts the frames it
 * gets. Same commands on stdin as the WebRTC viewers ({@code ConsumerSwarm}): {@code add <n> <decode>},
 * {@code report} (answers {@code report <frames>:<first frame ms> ...}), {@code quit}.
 */
public final class RtspViewers {

    private RtspViewers() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        GstInit.ensure();
        List<Viewer> viewers = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] command = line.trim().split(" ");
                switch (command[0]) {
                    case "add" -> {
                        for (int i = Integer.parseInt(command[1]); i > 0; i--) {
                            viewers.add(new Viewer(url));
                        }
                        System.out.println("added " + viewers.size());
                    }
                    case "report" -> {
                        StringBuilder report = new StringBuilder("report");
                        viewers.forEach(v -> report.append(' ').append(v.frames.get()).append(':')
                                .append(v.firstFrameMillis()));
                        System.out.println(report);
                    }
                    case "quit" -> {
                        viewers.forEach(Viewer::close);
                        System.out.println("bye");
                        return;
                    }
                    default -> System.out.println("unknown " + line);
                }
                System.out.flush();
            }
        }
    }

    private static final class Viewer {
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

        long firstFrameMillis() {
            long first = firstFrameNanos;
            return first == 0 ? -1 : (first - startNanos) / 1_000_000;
        }

        void close() {
            pipeline.setState(State.NULL);
            pipeline.dispose();
        }
    }
}
