package io.pistream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.pistream.api.Codecs;
import io.pistream.api.Subscription;
import io.pistream.api.Tier;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;

/**
 * CPU and RSS of the media hub encoding one 1280x720@30 H.264 stream for 1 and for 10 subscribers, and, in the
 * same run, of gst-launch-1.0 doing the same capture and encode alone (the native floor); then what each tier of the
 * quality ladder adds (a subscriber on the top, then one more on each lower tier: each tier scaled and encoded once).
 *
 * <p>Usage: {@code HubFanoutBenchmark [warmupSeconds] [measureSeconds] [reportFile]}
 */
public final class HubFanoutBenchmark {

    private static final String LAUNCH = "videotestsrc is-live=true pattern=ball "
            + "! video/x-raw,width=1280,height=720,framerate=30/1 ! videoconvert ! video/x-raw,format=I420 "
            + "! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 bitrate=2000 "
            + "! video/x-h264,profile=constrained-baseline ! h264parse config-interval=-1 ! fakesink sync=false";

    private record Row(String what, double cpuPercent, double rssMiB, double fpsPerSubscriber) {
    }

    private HubFanoutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int measure = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path report = Path.of(args.length > 2 ? args[2] : "benchmarks/results/hub-fanout-" + LocalDate.now() + ".md");

        List<Row> rows = new ArrayList<>();
        rows.add(nativeFloor(warmup, measure));
        MediaHubCore hub = MediaHubCore.create(1000);
        hub.addEncoder(TestEncoders.h264(30), 0);
        hub.addSource(new TestPatternSource("bench", 1280, 720, 30));
        try {
            for (int subscribers : new int[] {1, 10, 1, 10}) {
                rows.add(hubRun(hub, "hub, " + subscribers + " subscriber" + (subscribers > 1 ? "s" : ""),
                        new int[subscribers], warmup, measure));
            }
            List<Tier> tiers = hub.tiers("bench");
            for (int lowest = 1; lowest < tiers.size(); lowest++) {
                int[] oneEach = new int[lowest + 1];
                StringBuilder label = new StringBuilder("hub, one subscriber on the top");
                for (int tier = 1; tier <= lowest; tier++) {
                    oneEach[tier] = tier;
                    label.append(" + tier ").append(tiers.get(tier));
                }
                rows.add(hubRun(hub, label.toString(), oneEach, warmup, measure));
            }
        } finally {
            hub.close();
        }
        String text = render(rows, warmup, measure);
        System.out.println(text);
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, text);
        System.out.println("Report written to " + report);
        System.exit(0);
    }

    /** @param tierOfEach the tier of each subscriber */
    private static Row hubRun(MediaHubCore hub, String what, int[] tierOfEach, int warmup, int measure)
            throws Exception {
        String self = Long.toString(ProcessHandle.current().pid());
        int subscribers = tierOfEach.length;
        List<CountingSink> sinks = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        for (int tier : tierOfEach) {
            CountingSink sink = new CountingSink();
            sinks.add(sink);
            subscriptions.add(hub.subscribe("bench", Codecs.H264, tier, sink));
        }
        Thread.sleep(warmup * 1000L);
        long buffersBefore = sinks.stream().mapToLong(CountingSink::buffers).sum();
        long cpuBefore = ProcessStats.cpuMillis(self);
        long start = System.nanoTime();
        Thread.sleep(measure * 1000L);
        long wall = (System.nanoTime() - start) / 1_000_000;
        long cpuAfter = ProcessStats.cpuMillis(self);
        double rss = ProcessStats.rssMiB(self);
        long buffers = sinks.stream().mapToLong(CountingSink::buffers).sum() - buffersBefore;
        subscriptions.forEach(Subscription::close);
        Thread.sleep(2500); // past the linger: the next run starts a fresh capture
        return new Row(what, ProcessStats.cpuPercent(cpuBefore, cpuAfter, wall), rss,
                buffers * 1000.0 / wall / subscribers);
    }

    private static Row nativeFloor(int warmup, int measure) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
        command.addAll(List.of(LAUNCH.split(" ")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String pid = Long.toString(process.pid());
            Thread.sleep(Math.min(warmup, 5) * 1000L);
            long cpuBefore = ProcessStats.cpuMillis(pid);
            long start = System.nanoTime();
            Thread.sleep(measure * 1000L);
            long wall = (System.nanoTime() - start) / 1_000_000;
            long cpuAfter = ProcessStats.cpuMillis(pid);
            return new Row("gst-launch-1.0 (same capture + encode, no Java)",
                    ProcessStats.cpuPercent(cpuBefore, cpuAfter, wall), ProcessStats.rssMiB(pid), Double.NaN);
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    private static String render(List<Row> rows, int warmup, int measure) {
        StringBuilder text = new StringBuilder();
        text.append("# Media hub fan-out: 1280x720@30 H.264 (x264 ultrafast, zerolatency, 2 Mbit/s)\n\n");
        text.append("Date: ").append(LocalDate.now()).append(". Machine: ").append(ProcessStats.machine()).append(".\n");
        text.append("Each row: ").append(warmup).append(" s warm-up, then ").append(measure)
                .append(" s measured. CPU is percent of one core (user + system, whole process).\n\n");
        text.append("| run | CPU % | RSS MiB | frames/s per subscriber |\n|---|---:|---:|---:|\n");
        for (Row row : rows) {
            text.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %s |\n", row.what(), row.cpuPercent(),
                    row.rssMiB(), Double.isNaN(row.fpsPerSubscriber()) ? "-"
                            : String.format(Locale.ROOT, "%.1f", row.fpsPerSubscriber())));
        }
        return text.toString();
    }
}
