package io.pistream.rtp.internal;

import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pistream.benchmarks.ProcessStats;
import io.pistream.gstreamer.internal.GStreamerRuntimeComponent;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.Configs;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.rtp.push.RtpPush;

/**
 * CPU and RSS of pistream's RTP push of a 1280x720@30 test pattern against the seed's gst-launch-1.0 pipeline
 * doing the same job, alternated in one run (seed, pistream, seed, pistream) so that drift shows.
 *
 * <p>Usage: {@code RtpPushBenchmark [warmupSeconds] [measureSeconds] [reportFile]}
 */
public final class RtpPushBenchmark {

    private RtpPushBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int measure = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path report = Path.of(args.length > 2 ? args[2] : "benchmarks/results/rtp-push-" + LocalDate.now() + ".md");
        List<String> rows = new ArrayList<>();
        // the receiver's socket: bound so that nothing answers with ICMP errors, never read
        try (DatagramSocket receiver = new DatagramSocket(0)) {
            int port = receiver.getLocalPort();
            for (int round = 0; round < 2; round++) {
                rows.add(seed(port, warmup, measure));
                rows.add(pistream(port, warmup, measure));
            }
        }
        StringBuilder text = new StringBuilder("# RTP push, 1280x720@30 H.264 (x264 ultrafast, zerolatency, 2 Mbit/s)\n\n")
                .append("Date: ").append(LocalDate.now()).append(". Machine: ").append(ProcessStats.machine())
                .append(".\nEach row: ").append(warmup).append(" s warm-up, ").append(measure)
                .append(" s measured; CPU in percent of one core for the whole process.\n\n")
                .append("| run | CPU % | RSS MiB |\n|---|---:|---:|\n");
        rows.forEach(text::append);
        System.out.println(text);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, text);
        System.exit(0);
    }

    private static String seed(int port, int warmup, int measure) throws Exception {
        Process process = new ProcessBuilder("gst-launch-1.0", "-q", "videotestsrc", "is-live=true", "pattern=ball", "!",
                "video/x-raw,width=1280,height=720,framerate=30/1", "!", "videoconvert", "!",
                "video/x-raw,format=I420", "!", "x264enc", "tune=zerolatency", "speed-preset=ultrafast",
                "key-int-max=30", "bitrate=2000", "!", "video/x-h264,profile=constrained-baseline", "!",
                "rtph264pay", "config-interval=-1", "!", "udpsink", "host=127.0.0.1", "port=" + port, "sync=false")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        try {
            String pid = Long.toString(process.pid());
            return String.format(Locale.ROOT, "| seed gst-launch-1.0 (videotestsrc ! x264enc ! rtph264pay ! udpsink) | %.1f | %.0f |%n",
                    cpu(pid, warmup, measure), ProcessStats.rssMiB(pid));
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    private static String pistream(int port, int warmup, int measure) throws Exception {
        MediaHubCore hub = MediaHubCore.create(1000);
        hub.addEncoder(new H264Encoder(new GStreamerRuntimeComponent(), Configs.of(H264Config.class, Map.of())), 0);
        hub.addSource(new TestPatternSource("camera", 1280, 720, 30));
        Map<String, Object> config = Map.of("host", "127.0.0.1", "port", port, "service.pid", "io.pistream.rtp~bench");
        RtpPush push = new RtpPush(hub, RtpSettings.from(Configs.of(RtpConfig.class, config), config).target());
        try {
            String pid = Long.toString(ProcessHandle.current().pid());
            return String.format(Locale.ROOT, "| pistream RTP push (hub + encoder + push, in the JVM) | %.1f | %.0f |%n",
                    cpu(pid, warmup, measure), ProcessStats.rssMiB(pid));
        } finally {
            push.close();
            hub.close();
            Thread.sleep(2000);
        }
    }

    private static double cpu(String pid, int warmup, int measure) throws Exception {
        Thread.sleep(warmup * 1000L);
        long before = ProcessStats.cpuMillis(pid);
        long start = System.nanoTime();
        Thread.sleep(measure * 1000L);
        long wall = (System.nanoTime() - start) / 1_000_000;
        return ProcessStats.cpuPercent(before, ProcessStats.cpuMillis(pid), wall);
    }
}
