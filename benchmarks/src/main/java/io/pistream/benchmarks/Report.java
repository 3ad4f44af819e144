package io.pistream.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Writes the suite's results as Markdown with two PNG plots beside it. */
final class Report {

    private Report() {
    }

    /**
     * One target of the issue, the figure measured for it, and how far it is (measured / target; target / measured
     * for a figure that must be {@code atLeast} its target).
     */
    record Target(String what, String target, double limit, double measured, String unit, boolean atLeast) {
        Target(String what, String target, double limit, double measured, String unit) {
            this(what, target, limit, measured, unit, false);
        }

        double distance() {
            // a floor for a figure of zero (no frame at all): far from its target, yet a number
            return atLeast ? limit / Math.max(measured, limit / 100) : measured / limit;
        }
    }

    static Path write(Results results, Path folder) throws IOException {
        return write(results, folder, "suite");
    }

    /** Writes {@code <date>-<name>.md} and its plots; parts the run left out are left out. */
    static Path write(Results results, Path folder, String name) throws IOException {
        Files.createDirectories(folder);
        String prefix = results.date + "-" + name;
        Path latencyPlot = folder.resolve(prefix + "-latency.png");
        Path cpuPlot = folder.resolve(prefix + "-cpu-viewers.png");
        StringBuilder md = new StringBuilder();
        md.append("# pistream benchmark suite, ").append(results.date).append("\n\n");
        md.append("- Machine: ").append(results.machine).append('\n');
        md.append("- Software: ").append(results.software).append('\n');
        md.append("- Run: ").append(results.mode).append("; `benchmarks/run.sh` (see benchmarks/README.md)\n");
        if (results.loadBefore != null) {
            md.append("- Load average (1 / 5 / 15 min) at the start: ").append(results.loadBefore)
                    .append("; at the end: ").append(results.loadAfter).append('\n');
        }
        if (results.note != null) {
            md.append("- **").append(results.note).append("**\n");
        }
        md.append("- Stream: 1280x720@30 test pattern (ball) stamped with its capture time, H.264 x264 ultrafast "
                + "zerolatency 2 Mbit/s, key frame every 30 frames; CPU in % of one core (utime+stime of the "
                + "container's JVM, everything it runs natively included), RSS of that process.\n\n");
        failedSteps(results, md);
        targets(results, md);
        md.append("## Boot: distribution start to stream ready\n\n");
        md.append("`bin/karaf server` on a freshly unpacked distribution with the whole platform (feature "
                + "`pistream`) until `DESCRIBE rtsp://127.0.0.1:8554/camera` is answered 200 (first start: the "
                + "features are resolved and installed), then the same container stopped and started again (what a "
                + "device does at every later power-up).\n\n");
        md.append("| run | first start ms | restart ms |\n|---|---|---|\n");
        for (int i = 0; i < results.bootMillis.size(); i++) {
            md.append("| ").append(i + 1).append(" | ").append(results.bootMillis.get(i)).append(" | ")
                    .append(i < results.restartMillis.size() ? results.restartMillis.get(i) : "-").append(" |\n");
        }
        latency(results, latencyPlot, md);
        firstFrames(results, md);
        cost(results, cpuPlot, md);
        memory(results, md);
        if (!results.floors.isEmpty()) {
            md.append("\n## Native floor\n\nAlternated in the same run, CPU of each round; the ratio is the median of "
                    + "the rounds' ratios.\n\n");
            md.append("| job | pistream CPU % | native CPU % | ratio | pistream RSS MiB | native RSS MiB |\n"
                    + "|---|---|---|---|---|---|\n");
        }
        for (Results.Floor floor : results.floors) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f | %.0f | %.0f |%n", floor.job(),
                    figures(floor.pistreamCpu()), figures(floor.nativeCpu()), floor.ratio(), floor.pistreamRssMiB(),
                    floor.nativeRssMiB()));
        }
        churn(results, folder.resolve(prefix + "-churn.png"), md);
        soak(results.soak, folder.resolve(prefix + "-soak.png"), md);
        network(results, folder.resolve(prefix + "-network.png"), md);
        fuzz(results.fuzz, md);
        Path report = folder.resolve(prefix + ".md");
        Files.writeString(report, md.toString());
        return report;
    }

    private static void latency(Results results, Path plot, StringBuilder md) throws IOException {
        if (results.latencies.isEmpty()) {
            return;
        }
        latencyHistogram(results, plot);
        md.append("\n## Glass-to-glass latency\n\n");
        md.append("Capture time stamped into the frame as it leaves the test pattern generator, read back from the "
                + "decoded picture; GStreamer clients read it when the decoder outputs the frame, Chromium at the "
                + "frame's expected display time. Same machine, same clock.\n\n");
        md.append("| receiver | frames | p50 ms | p95 ms | max ms | unreadable | size |\n|---|---|---|---|---|---|---|\n");
        for (Results.Latency latency : results.latencies) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %s |%n", latency.receiver(),
                    latency.millis().values().size(), latency.millis().percentile(50),
                    latency.millis().percentile(95), latency.millis().max(), latency.unreadable(), latency.size()));
        }
        md.append("\n![latency histogram](").append(plot.getFileName()).append(")\n");
    }

    private static void firstFrames(Results results, StringBuilder md) {
        if (results.firstFrames.isEmpty()) {
            return;
        }
        md.append("\n## Time to first frame\n\n| client | runs (ms) | median ms |\n|---|---|---|\n");
        for (Results.FirstFrame first : results.firstFrames) {
            md.append("| ").append(first.client()).append(" | ").append(first.millis().values()).append(" | ")
                    .append(first.millis().percentile(50)).append(" |\n");
        }
    }

    /** The cost stage's table and plot, and the idle container's figures (the idle stage). */
    private static void cost(Results results, Path plot, StringBuilder md) throws IOException {
        if (results.costs.isEmpty() && Double.isNaN(results.idleRssMiB)) {
            return;
        }
        md.append("\n## Cost per viewer\n\n");
        if (!Double.isNaN(results.idleCpuPercent)) {
            md.append(String.format(Locale.ROOT, "Container idle at the end of the run (whole platform, nothing "
                    + "watched): %.1f %% CPU, %.0f MiB RSS. ", results.idleCpuPercent, results.idleRssMiB));
        }
        if (!Double.isNaN(results.idleRssCollectedMiB)) {
            md.append(String.format(Locale.ROOT, "After a full collection and a trim of the native heap (`jcmd "
                    + "GC.run`, `System.trim_native_heap`): %.0f MiB RSS. ", results.idleRssCollectedMiB));
        }
        if (results.costs.isEmpty()) {
            md.append("\n\n");
            return;
        }
        cpuAgainstViewers(results, plot);
        md.append("Viewers run in other processes and do not decode (RTSP: `rtspsrc ! rtph264depay`; "
                + "WebRTC: `webrtcbin` answering the producer's offer over the signalling server; WHEP: `webrtcbin` "
                + "POSTing its H.264 offer to `/whep/stamp` with a viewer token). \"One encoder per viewer\" is an RTSP mount "
                + "with a launch line and `shared = false`: every client gets its own capture and encoder, the way "
                + "webrtcsink serves each consumer.\n\n");
        md.append("| viewers | mode | CPU % | RSS MiB | frames/s per viewer |\n|---|---|---|---|---|\n");
        for (Results.Cost cost : results.costs) {
            if (cost.failure() != null) {
                md.append(String.format(Locale.ROOT, "| %d | %s | - | - | failed: %s |%n", cost.viewers(),
                        cost.mode(), cost.failure()));
            } else {
                md.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %.0f | %s |%n", cost.viewers(), cost.mode(),
                        cost.cpuPercent(), cost.rssMiB(), cost.framesPerSecond()));
            }
        }
        md.append("\n![CPU against viewers](").append(plot.getFileName()).append(")\n\n");
    }

    /** The idle stage's breakdown of the resident memory: after boot, idle at the end, after a collection. */
    private static void memory(Results results, StringBuilder md) {
        Map<String, MemoryBreakdown> columns = new LinkedHashMap<>();
        columns.put("15 s after boot", results.memoryAfterBoot);
        columns.put("idle at the end", results.memoryIdle);
        columns.put("after a full collection and a trim", results.memoryIdleCollected);
        columns.values().removeIf(Objects::isNull);
        if (columns.isEmpty()) {
            return;
        }
        List<MemoryBreakdown> taken = List.copyOf(columns.values());
        md.append("\n## Where the memory is\n\nResident MiB by kind of mapping (`/proc/<pid>/smaps`), and the JVM's "
                + "own accounts (`jcmd`: `GC.heap_info`, `Compiler.codecache`). \"Not counted by "
                + "the JVM\" is the anonymous memory, glibc's main heap included, less the heap, metaspace and code "
                + "cache: thread stacks, glibc's other arenas, GStreamer's and the encoders' buffers, the JVM's own "
                + "tables.\n\n| | ").append(String.join(" | ", columns.keySet())).append(" |\n|---")
                .append("|---".repeat(columns.size())).append("|\n");
        memoryRow(md, "resident (RSS)", taken, MemoryBreakdown::rssMiB);
        for (String kind : taken.get(0).residentMiB().keySet()) {
            memoryRow(md, "- " + kind, taken, breakdown -> breakdown.residentMiB().get(kind));
        }
        memoryRow(md, "Java heap, committed", taken, MemoryBreakdown::heapCommittedMiB);
        memoryRow(md, "metaspace, committed", taken, MemoryBreakdown::metaspaceCommittedMiB);
        memoryRow(md, "code cache, used", taken, MemoryBreakdown::codeCacheUsedMiB);
        memoryRow(md, "not counted by the JVM", taken, MemoryBreakdown::uncountedAnonymousMiB);
        md.append("| threads |");
        for (MemoryBreakdown breakdown : taken) {
            md.append(' ').append(breakdown.threads()).append(" |");
        }
        md.append('\n');
    }

    private static void memoryRow(StringBuilder md, String what, List<MemoryBreakdown> taken,
            ToDoubleFunction<MemoryBreakdown> figure) {
        md.append("| ").append(what).append(" |");
        for (MemoryBreakdown breakdown : taken) {
            md.append(String.format(Locale.ROOT, " %.1f |", figure.applyAsDouble(breakdown)));
        }
        md.append('\n');
    }

    /** First, so that nobody reads the figures of a run without knowing what is missing from it. */
    private static void failedSteps(Results results, StringBuilder md) {
        if (results.failedSteps.isEmpty()) {
            return;
        }
        md.append("## Failed steps\n\nThese steps threw; the run went on with the next one, so their figures are "
                + "missing or partial below.\n\n");
        for (Results.FailedStep failed : results.failedSteps) {
            md.append("- **").append(failed.step()).append("**: ").append(failed.reason()).append('\n');
        }
        md.append('\n');
    }

    private static void targets(Results results, StringBuilder md) {
        List<Target> targets = targetsOf(results);
        md.append("## Against the targets\n\n| figure | target | measured | measured / target |\n|---|---|---|---|\n");
        Target furthest = null;
        for (Target target : targets) {
            if (Double.isNaN(target.measured())) {
                continue;
            }
            String measured = target.unit().equals("×") ? String.format(Locale.ROOT, "%.2f ×", target.measured())
                    : String.format(Locale.ROOT, "%.0f %s", target.measured(), target.unit());
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.2f |%n", target.what(), target.target(),
                    measured, target.distance()));
            if (furthest == null || target.distance() > furthest.distance()) {
                furthest = target;
            }
        }
        if (furthest != null) {
            md.append(String.format(Locale.ROOT, "%nFurthest from its target: **%s** (%.2f × the target).%n%n",
                    furthest.what(), furthest.distance()));
        }
    }

    static List<Target> targetsOf(Results results) {
        List<Target> targets = new ArrayList<>();
        Map<String, Double> cpuAtOne = new LinkedHashMap<>();
        Map<String, Double> cpuAtMost = new LinkedHashMap<>();
        Map<String, Integer> mostViewers = new LinkedHashMap<>();
        double maxRss = Double.NaN;
        Results.Cost many = null;
        for (Results.Cost cost : results.costs) {
            if (cost.failure() == null && cost.mode().equals(Suite.MANY_VIEWERS_MODE)) {
                many = cost;
            }
            if (cost.failure() != null || cost.mode().contains("per viewer")
                    || cost.mode().equals(Suite.MANY_VIEWERS_MODE)) {
                continue;
            }
            if (cost.viewers() == 1) {
                cpuAtOne.put(cost.mode(), cost.cpuPercent());
            }
            if (cost.viewers() >= mostViewers.getOrDefault(cost.mode(), 0)) {
                mostViewers.put(cost.mode(), cost.viewers());
                cpuAtMost.put(cost.mode(), cost.cpuPercent());
            }
        }
        int most = mostViewers.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        for (Results.Cost cost : results.costs) {
            if (cost.failure() == null && !cost.mode().contains("per viewer")
                    && !cost.mode().equals(Suite.MANY_VIEWERS_MODE) && cost.viewers() == most) {
                maxRss = Double.isNaN(maxRss) ? cost.rssMiB() : Math.max(maxRss, cost.rssMiB());
            }
        }
        for (String mode : cpuAtOne.keySet()) {
            targets.add(new Target("CPU(" + mostViewers.get(mode) + " viewers) / CPU(1), " + mode, "≤ 1.5", 1.5,
                    cpuAtMost.get(mode) / cpuAtOne.get(mode), "×"));
        }
        Double mixAtOne = cpuAtOne.get("mix (half RTSP, half WebRTC)");
        if (many != null && mixAtOne != null) {
            targets.add(new Target("CPU(" + many.viewers() + " viewers) / CPU(1), mix (half RTSP, half WebRTC)",
                    "≤ 2.0", 2.0, many.cpuPercent() / mixAtOne, "×"));
        }
        for (Results.Floor floor : results.floors) {
            boolean rtp = floor.job().startsWith("RTP");
            boolean shared = floor.job().contains("shared = true");
            String what = rtp ? "RTP push / gst-launch-1.0" : "RTSP / native C gst-rtsp-server, "
                    + (shared ? "mount shared" : "mount as shipped");
            // the mount as shipped (one player per media) is what players meet: its target is the tighter one
            double limit = rtp || !shared ? 1.05 : 1.10;
            targets.add(new Target(what, String.format(Locale.ROOT, "≤ %.2f", limit), limit, floor.ratio(), "×"));
        }
        for (Results.Latency latency : results.latencies) {
            if (latency.receiver().startsWith("RTSP")) {
                targets.add(new Target("glass-to-glass p50, RTSP", "≤ 80 ms", 80, latency.millis().percentile(50),
                        "ms"));
            } else if (latency.receiver().startsWith("WebRTC")) {
                targets.add(new Target("glass-to-glass p50, WebRTC in Chromium", "≤ 120 ms", 120,
                        latency.millis().percentile(50), "ms"));
            }
        }
        for (Results.FirstFrame first : results.firstFrames) {
            if (first.client().startsWith("RTSP, capture stopped")) {
                targets.add(new Target("first frame, new RTSP client (capture stopped)", "≤ 500 ms", 500,
                        first.millis().percentile(50), "ms"));
            } else if (first.client().startsWith("RTSP, capture running")) {
                targets.add(new Target("first frame, RTSP player joining a running capture", "≤ 100 ms", 100,
                        first.millis().percentile(50), "ms"));
            } else if (first.client().startsWith("WebRTC in Chromium")) {
                targets.add(new Target("first frame, new WebRTC session in Chromium", "≤ 150 ms", 150,
                        first.millis().percentile(50), "ms"));
            } else if (first.client().startsWith("WebRTC, capture stopped")) {
                targets.add(new Target("first frame, new WebRTC session (webrtcbin, capture stopped)", "≤ 1000 ms",
                        1000, first.millis().percentile(50), "ms"));
            } else if (first.client().startsWith("WebRTC, capture running")) {
                targets.add(new Target("first frame, WebRTC viewer (webrtcbin), capture running", "≤ 300 ms", 300,
                        first.millis().percentile(50), "ms"));
            }
        }
        if (!results.bootMillis.isEmpty()) {
            targets.add(new Target("boot to stream ready, first start (median)", "≤ 4000 ms", 4000, Results.median(
                    results.bootMillis.stream().map(Long::doubleValue).toList()), "ms"));
        }
        if (!results.restartMillis.isEmpty()) {
            targets.add(new Target("boot to stream ready, restart (median)", "≤ 4000 ms", 4000, Results.median(
                    results.restartMillis.stream().map(Long::doubleValue).toList()), "ms"));
        }
        targets.add(new Target("RSS, everything on, " + most + " viewers (highest of the shared modes)", "≤ 256 MiB",
                256, maxRss, "MiB"));
        if (!Double.isNaN(results.idleRssMiB)) {
            targets.add(new Target("RSS, everything on, idle", "≤ 200 MiB", 200, results.idleRssMiB, "MiB"));
        }
        for (Churn.Outcome churn : results.churns) {
            // at least a 0.1 % growth: a distance to a target needs a positive figure
            targets.add(new Target("RSS growth after " + churn.cycles() + " churn cycles, " + churn.protocol(), "≤ 5 %",
                    5, Math.max(0.1, churn.rssGrowthPercent()), "%"));
        }
        if (results.soak != null && results.soak.failure() == null) {
            String hours = String.format(Locale.ROOT, "%.1f min", results.soak.seconds() / 60);
            // at least 1 ms and 0.1 %: a distance to a target needs a positive figure
            targets.add(new Target("longest gap of any viewer, " + hours + " soak", "≤ 1000 ms", 1000,
                    Math.max(1, results.soak.longestGapMillis()), "ms"));
            targets.add(new Target("RSS growth over the " + hours + " soak", "≤ 5 %", 5,
                    Math.max(0.1, results.soak.rssGrowthPercent()), "%"));
        }
        networkTargets(results.linkCap, targets);
        return targets;
    }

    /** The capped viewer: steady video soon after the cap, smooth during it, full size soon after the lift. */
    private static void networkTargets(LinkStage.CapRun cap, List<Target> targets) {
        if (cap == null) {
            return;
        }
        String during = "capped viewer, " + cap.rate() + " cap, ";
        long capMillis = cap.liftAt() - cap.capAt();
        long steady = cap.steadyAfterCapMillis();
        // never steady: the whole cap, a lower bound
        targets.add(new Target(during + "time to steady video (" + LinkStage.STEADY_SECONDS + " s at ≥ "
                + (int) LinkStage.STEADY_FPS + " frames/s)" + (steady < 0 ? ": not reached during the cap" : ""),
                "≤ 5000 ms", LinkStage.SETTLE_TARGET_MILLIS, steady < 0 ? capMillis : steady, "ms"));
        targets.add(new Target(during + "frames/s after settling", "≥ 25", 25,
                cap.capped().meanFps(cap.settledAt(), cap.liftAt()), "frames/s", true));
        targets.add(new Target(during + "longest freeze after settling", "≤ 1000 ms", 1000,
                Math.max(1, cap.capped().longestGapMillis(cap.settledAt(), cap.liftAt())), "ms"));
        long recovery = cap.recoveryMillis();
        targets.add(new Target("capped viewer, lift of the cap to steady 1280x720" + (recovery < 0
                ? ": not reached" : ""), "≤ 10000 ms", 10_000, recovery < 0 ? cap.endAt() - cap.liftAt()
                        : recovery, "ms"));
        targets.add(new Target("open viewer, frames/s during the other's cap (sizes " + String.join(", ",
                cap.open().sizes(cap.capAt(), cap.liftAt())) + ")", "≥ 25", 25,
                cap.open().meanFps(cap.capAt(), cap.liftAt()), "frames/s", true));
    }

    private static void fuzz(Results.Fuzz fuzz, StringBuilder md) {
        if (fuzz == null) {
            return;
        }
        SignallingFuzz.Outcome outcome = fuzz.outcome();
        md.append("\n## Signalling fuzz under load\n\n");
        md.append("Against `" + Suite.SIGNALLING_URL + "` while one RTSP viewer plays the stamped stream: authenticated "
                + "clients (a viewer token) send malformed, random, binary and oversize messages, most of them paced "
                + "just under the message rate (50/s per connection), one flooding as fast as it can and reconnecting "
                + "when closed; meanwhile WebSocket handshakes without credentials (or with an empty password or token) are "
                + "tried; wrong credentials are not, since 5 failed logins get the address refused with 429 for a "
                + "minute, the fuzzers' included. "
                + "Frames expected at 30 frames/s over the fuzz; the longest gap is the longest time between two polls (every 100 ms) that saw new frames, so about 100 ms when none is late.\n\n");
        md.append("| figure | value |\n|---|---|\n");
        md.append(String.format(Locale.ROOT, "| duration | %.1f s |%n", outcome.seconds()));
        md.append(String.format(Locale.ROOT, "| messages sent | %d over %d connections (%.0f/s); %d connections "
                + "failed to open |%n", outcome.messagesSent(), outcome.connections(),
                outcome.messagesSent() / outcome.seconds(), outcome.failedConnects()));
        md.append(String.format(Locale.ROOT, "| replies received (of which errors) | %d (%d) |%n",
                outcome.repliesReceived(), outcome.errorsReceived()));
        md.append("| closes by code (-1: lost without a close frame) | ").append(outcome.closesByCode()).append(" |\n");
        md.append(String.format(Locale.ROOT, "| handshakes without credentials | %d: %d refused with 401, %d "
                + "accepted; answers by HTTP status %s |%n", outcome.unauthenticatedAttempts(), outcome.refusedWith401(),
                outcome.acceptedWithoutCredentials(), outcome.handshakeAnswers()));
        md.append(String.format(Locale.ROOT, "| viewer frames (expected) | %d (%d) |%n", fuzz.viewerFrames(),
                fuzz.expectedFrames()));
        md.append(String.format(Locale.ROOT, "| frames lost | %d |%n", fuzz.framesLost()));
        md.append(String.format(Locale.ROOT, "| longest gap between frames | %d ms |%n", fuzz.longestGapMillis()));
        md.append(String.format(Locale.ROOT, "| container RSS before / peak / 5 s after | %.0f / %.0f / %s MiB |%n",
                fuzz.rssBeforeMiB(), fuzz.rssPeakMiB(), fuzz.containerSurvived()
                        ? String.format(Locale.ROOT, "%.0f", fuzz.rssAfterMiB()) : "-"));
        md.append("| container survived | ").append(fuzz.containerSurvived() ? "yes"
                : "**no**: " + fuzz.containerDeath()).append(" |\n");
    }

    private static String figures(List<Double> values) {
        return String.join(" / ", values.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
    }

    private static void latencyHistogram(Results results, Path file) throws IOException {
        HistogramDataset dataset = new HistogramDataset();
        long max = 0;
        for (Results.Latency latency : results.latencies) {
            max = Math.max(max, latency.millis().max());
        }
        long binWidth = max <= 80 ? 1 : max <= 200 ? 2 : 5;
        int bins = (int) Math.max(10, Math.min(200, max / binWidth + 1));
        for (Results.Latency latency : results.latencies) {
            double[] values = latency.millis().values().stream().mapToDouble(Long::doubleValue).toArray();
            if (values.length > 0) {
                dataset.addSeries(latency.receiver(), values, bins, 0, bins * (double) binWidth);
            }
        }
        JFreeChart chart = ChartFactory.createHistogram("Glass-to-glass latency, 1280x720@30", "milliseconds",
                "frames", dataset, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setForegroundAlpha(0.6f);
        XYBarRenderer bars = (XYBarRenderer) plot.getRenderer();
        bars.setShadowVisible(false);
        bars.setBarPainter(new StandardXYBarPainter());
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 500);
    }

    private static void churn(Results results, Path plot, StringBuilder md) throws IOException {
        if (results.churns.isEmpty()) {
            return;
        }
        md.append("## Churn: viewers connecting and leaving\n\n");
        md.append("Viewers of one protocol in another process (not decoding) come in batches, play until each has "
                + "frames, then leave (RTSP: the client closes; WebRTC: the signalling viewer ends its session; "
                + "WHEP: `DELETE`); the next batch follows. After the last, the container gets up to a minute to "
                + "settle. Pipelines: RTSP medias and WebRTC sessions, from the container's `/metrics`.\n\n");
        md.append("| protocol | cycles | s | RSS MiB before → after | growth | threads | open files | pipelines |"
                + " |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Churn.Outcome churn : results.churns) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f → %.0f | %+.1f %% | %d → %d | %d → %d |"
                    + " %d → %d | %s |%n", churn.protocol(), churn.cycles(), churn.millis() / 1000.0,
                    churn.before().rssMiB(), churn.after().rssMiB(), churn.rssGrowthPercent(),
                    churn.before().threads(), churn.after().threads(), churn.before().openFiles(),
                    churn.after().openFiles(), churn.before().pipelines(), churn.after().pipelines(),
                    churn.failure() == null ? "" : "failed " + churn.failure()));
        }
        XYSeriesCollection rss = new XYSeriesCollection();
        XYSeriesCollection threads = new XYSeriesCollection();
        for (Churn.Outcome churn : results.churns) {
            XYSeries rssSeries = new XYSeries("RSS, " + churn.protocol(), false);
            XYSeries threadSeries = new XYSeries("threads, " + churn.protocol(), false);
            for (Churn.Point point : churn.curve()) {
                rssSeries.add(point.cycles(), point.rssMiB());
                threadSeries.add(point.cycles(), point.threads());
            }
            rss.addSeries(rssSeries);
            threads.addSeries(threadSeries);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Container during churn (last point: settled)",
                "viewers that came and went", "RSS, MiB", rss, PlotOrientation.VERTICAL, true, false, false);
        XYPlot xy = chart.getXYPlot();
        xy.setRenderer(0, new XYLineAndShapeRenderer(true, true));
        dashedOnSecondAxis(xy, "threads", threads);
        ChartUtils.saveChartAsPNG(plot.toFile(), chart, 900, 500);
        md.append("\n![RSS and threads against churn cycles](").append(plot.getFileName()).append(")\n\n");
    }

    /** A second range axis on the right for {@code data}, drawn dashed, on a white plot with light grid lines. */
    private static void dashedOnSecondAxis(XYPlot xy, String label, XYSeriesCollection data) {
        xy.setRangeAxis(1, new org.jfree.chart.axis.NumberAxis(label));
        xy.setDataset(1, data);
        xy.mapDatasetToRangeAxis(1, 1);
        XYLineAndShapeRenderer dashed = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            dashed.setSeriesStroke(i, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {6f, 4f}, 0f));
        }
        xy.setRenderer(1, dashed);
        xy.setBackgroundPaint(Color.WHITE);
        xy.setRangeGridlinePaint(Color.LIGHT_GRAY);
        xy.setDomainGridlinePaint(Color.LIGHT_GRAY);
    }

    private static void soak(Soak.Outcome soak, Path plot, StringBuilder md) throws IOException {
        if (soak == null) {
            return;
        }
        md.append("## Soak: a few viewers of every protocol for a long time\n\n");
        md.append(String.format(Locale.ROOT, "%d viewers (in other processes, not decoding) watched the stamped "
                + "source for %.1f min with the whole platform on. Frame counts were polled every 200 ms: a gap is "
                + "the longest time a viewer got no new frame, known to within that period. RSS %.0f → %.0f MiB "
                + "(%+.1f %%)%s.%n%n", soak.viewers().size(), soak.seconds() / 60,
                soak.rss().isEmpty() ? Double.NaN : soak.rss().get(0).rssMiB(),
                soak.rss().isEmpty() ? Double.NaN : soak.rss().get(soak.rss().size() - 1).rssMiB(),
                soak.rssGrowthPercent(), soak.failure() == null ? "" : "; **failed**: " + soak.failure()));
        md.append("| viewer | frames | average frames/s | lowest frames/s (window) | longest gap ms |\n"
                + "|---|---|---|---|---|\n");
        XYSeriesCollection rates = new XYSeriesCollection();
        for (Soak.Viewer viewer : soak.viewers()) {
            double lowest = viewer.rates().stream().mapToDouble(Soak.Rate::framesPerSecond).min().orElse(Double.NaN);
            md.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %d |%n", viewer.name(), viewer.frames(),
                    viewer.frames() / soak.seconds(), lowest, viewer.longestGapMillis()));
            XYSeries series = new XYSeries(viewer.name(), false);
            for (Soak.Rate rate : viewer.rates()) {
                series.add(rate.seconds() / 60, rate.framesPerSecond());
            }
            rates.addSeries(series);
        }
        XYSeriesCollection rss = new XYSeriesCollection();
        XYSeries rssSeries = new XYSeries("container RSS", false);
        for (Soak.RssPoint point : soak.rss()) {
            rssSeries.add(point.seconds() / 60, point.rssMiB());
        }
        rss.addSeries(rssSeries);
        JFreeChart chart = ChartFactory.createXYLineChart("Frames per second of each viewer during the soak",
                "minutes", "frames/s", rates, PlotOrientation.VERTICAL, true, false, false);
        dashedOnSecondAxis(chart.getXYPlot(), "RSS, MiB", rss);
        ChartUtils.saveChartAsPNG(plot.toFile(), chart, 900, 500);
        md.append("\n![frames per second of each viewer and RSS during the soak](").append(plot.getFileName())
                .append(")\n\n");
    }

    private static void network(Results results, Path plot, StringBuilder md) throws IOException {
        LinkStage.CapRun cap = results.linkCap;
        if (cap == null && results.linkLoss.isEmpty()) {
            return;
        }
        md.append("## Network: a viewer behind a capped, then a lossy link\n\n");
        md.append("Two viewers of the web app in headless Chromium watch the WebRTC stream at once. The \"capped\" "
                + "one runs in a network namespace of its own and reaches the device over a veth pair ("
                + LinkStage.FAR_APP_URL + "); the suite shapes that pair's device end, its downlink: a token bucket "
                + "(`tc qdisc replace dev " + LinkStage.DEVICE_INTERFACE + " root tbf rate " + LinkStage.CAP_RATE
                + " burst 32kbit latency 300ms`) while capped, and an nftables rule dropping "
                + LinkStage.LOSS_PERCENT + " % of its UDP packets at random in the loss runs. The \"open\" one "
                + "watches " + LinkStage.NEAR_APP_URL + " on loopback, untouched. The producer sends a test "
                + "source of noise meanwhile (`videotestsrc pattern=snow`, 1280x720@30: it takes the encoder's whole "
                + "bitrate, where the stamped pattern needs 200 kbit/s). Each reports the inbound video's "
                + "`getStats` once a second; frames/s are frames decoded in that second, a freeze the longest "
                + "wait between two frames shown (`requestVideoFrameCallback`) counted in the phase it began in (the "
                + "freeze the cap causes ends in the first steady second, and is not one after settling), freezes "
                + "Chromium's `freezeCount`, "
                + "tiers those of the quality ladder the device says it sent (0: the top; the web app asks every "
                + "other second). "
                + "Steady video: " + LinkStage.STEADY_SECONDS + " seconds in a row at ≥ "
                + (int) LinkStage.STEADY_FPS + " frames/s; \"after settling\" counts from then (from 5 s after "
                + "the cap when the video never got steady). Times are to the second: to the start of the first "
                + "steady second.\n\n");
        if (cap != null) {
            md.append(String.format(Locale.ROOT, "%.0f s open, %.0f s capped at %s, %.0f s lifted. Negotiated: "
                    + "capped %s, open %s. During the cap the token bucket sent on %d packets (%.1f MB) and "
                    + "dropped %d: what the device sent toward the capped viewer, %.0f packets/s.%n%n",
                    (cap.capAt() - cap.startAt()) / 1000.0, (cap.liftAt() - cap.capAt()) / 1000.0, cap.rate(),
                    (cap.endAt() - cap.liftAt()) / 1000.0, negotiated(cap.capped()), negotiated(cap.open()),
                    cap.bucket().sentPackets(), cap.bucket().sentBytes() / 1e6, cap.bucket().droppedPackets(),
                    (cap.bucket().sentPackets() + cap.bucket().droppedPackets()) * 1000.0
                            / Math.max(1, cap.liftAt() - cap.capAt())));
            md.append("| viewer | phase | s | frames/s | kbit/s | sizes | longest freeze ms | freezes | NACKs | PLIs "
                    + "| packets lost | tiers sent |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (LinkStage.Viewer viewer : List.of(cap.capped(), cap.open())) {
                phase(md, viewer, "open link", cap.startAt(), cap.capAt());
                phase(md, viewer, "capped", cap.capAt(), cap.liftAt());
                if (viewer == cap.capped()) {
                    phase(md, viewer, "capped, after settling", cap.settledAt(), cap.liftAt());
                }
                phase(md, viewer, "cap lifted", cap.liftAt(), cap.endAt());
            }
            long steady = cap.steadyAfterCapMillis();
            long recovery = cap.recoveryMillis();
            List<String> sizes = List.copyOf(cap.open().sizes(cap.capAt(), cap.liftAt()));
            double openBefore = cap.open().meanFps(cap.startAt(), cap.capAt());
            double openDuring = cap.open().meanFps(cap.capAt(), cap.liftAt());
            boolean unchanged = sizes.equals(List.copyOf(cap.open().sizes(cap.startAt(), cap.capAt())))
                    && sizes.size() == 1 && Math.abs(openDuring - openBefore) <= 3;
            md.append(String.format(Locale.ROOT, "%nCapped viewer: steady video %s; steady 1280x720 %s. Open "
                    + "viewer during the cap: %s frames/s at %s (before: %s frames/s): %s.%n%n", steady < 0
                    ? "**not reached** during the cap" : steady + " ms after the cap", recovery < 0
                    ? "**not reached** after the lift" : recovery + " ms after the lift", number(openDuring),
                    String.join(", ", sizes), number(openBefore), unchanged ? "unchanged" : "**changed**"));
            moves(md, cap);
            capPlot(cap, plot);
            md.append("![frames per second and kbit/s of each viewer, the cap marked](").append(plot.getFileName())
                    .append(")\n\n");
        }
        if (!results.linkLoss.isEmpty()) {
            md.append("The capped viewer alone, with random loss on its downlink and no cap; the producer's NACK "
                    + "(retransmission of lost packets) on and off (`nack = false` in `etc/" + Suite.PRODUCER_PID
                    + ".cfg`). NACKs and PLIs are what the viewer sent, packets lost Chromium's `packetsLost`.\n\n");
            md.append("| loss | producer NACK | negotiated | s | frames/s | kbit/s | freezes | freezes s | longest "
                    + "freeze ms | NACKs | PLIs | packets lost | dropped by the rule |\n"
                    + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (LinkStage.LossRun run : results.linkLoss) {
                LinkStage.Viewer viewer = run.viewer();
                long from = run.startAt();
                long to = run.endAt();
                md.append(String.format(Locale.ROOT, "| %d %% | %s | %s | %.0f | %s | %s | %d | %.1f | %d | %d | %d "
                        + "| %d | %d |%n", run.lossPercent(), run.producerNack() ? "on" : viewer.nack()
                                ? "off asked, **still offered**" : "off", negotiated(viewer),
                        (to - from) / 1000.0, number(viewer.meanFps(from, to)), number(viewer.meanKbps(from, to)),
                        viewer.growth(LinkStage.Second::freezeCount, from, to), viewer.freezeSeconds(from, to),
                        viewer.longestGapMillis(from, to), viewer.growth(LinkStage.Second::nackCount, from, to),
                        viewer.growth(LinkStage.Second::pliCount, from, to),
                        viewer.growth(LinkStage.Second::packetsLost, from, to), run.dropped()));
            }
            md.append('\n');
        }
    }

    private static void phase(StringBuilder md, LinkStage.Viewer viewer, String phase, long from, long to) {
        Set<Integer> tiers = viewer.tiers(from, to);
        md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %s | %s | %s | %d | %d | %d | %d | %d | %s |%n",
                viewer.name(), phase, (to - from) / 1000.0, number(viewer.meanFps(from, to)),
                number(viewer.meanKbps(from, to)), String.join(", ", viewer.sizes(from, to)),
                viewer.longestGapMillis(from, to), viewer.growth(LinkStage.Second::freezeCount, from, to),
                viewer.growth(LinkStage.Second::nackCount, from, to), viewer.growth(LinkStage.Second::pliCount,
                        from, to), viewer.growth(LinkStage.Second::packetsLost, from, to),
                tiers.isEmpty() ? "-" : String.join(", ", tiers.stream().map(String::valueOf).toList())));
    }

    private static String negotiated(LinkStage.Viewer viewer) {
        return viewer.codec() + (viewer.nack() ? " with NACK" : " without NACK") + (viewer.rtx() ? " and RTX" : "");
    }

    /** One decimal, or "-" for a figure a window without samples has not got. */
    private static String number(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value);
    }

    /** The device's moves of the capped viewer, with its reasons: what explains a slow recovery or a freeze. */
    private static void moves(StringBuilder md, LinkStage.CapRun cap) {
        List<LinkStage.Second> moves = cap.capped().moves();
        if (moves.isEmpty()) {
            return;
        }
        md.append("The capped viewer's tier and why, each time the device told of a new one (to a second or two: the "
                + "web app asks every other second):\n\n| s after the cap | tier | why |\n|---|---|---|\n");
        for (LinkStage.Second move : moves) {
            md.append(String.format(Locale.ROOT, "| %+.0f%s | %d | %s |%n", (move.at() - cap.capAt()) / 1000.0,
                    move.at() >= cap.liftAt() ? String.format(Locale.ROOT, " (lift %+.0f)",
                            (move.at() - cap.liftAt()) / 1000.0) : "", move.tier(),
                    move.tierReason().replace("|", "/")));
        }
        md.append('\n');
    }

    private static void capPlot(LinkStage.CapRun cap, Path plot) throws IOException {
        XYSeriesCollection fps = new XYSeriesCollection();
        XYSeriesCollection kbps = new XYSeriesCollection();
        for (LinkStage.Viewer viewer : List.of(cap.capped(), cap.open())) {
            XYSeries frames = new XYSeries("frames/s, " + viewer.name(), false);
            XYSeries bits = new XYSeries("kbit/s, " + viewer.name(), false);
            for (int i : viewer.within(cap.startAt(), cap.endAt())) {
                double seconds = (viewer.seconds().get(i).at() - cap.startAt()) / 1000.0;
                frames.add(seconds, viewer.fps(i));
                bits.add(seconds, viewer.seconds().get(i).kbps());
            }
            fps.addSeries(frames);
            kbps.addSeries(bits);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("Two viewers, one of them capped at " + cap.rate()
                + " (shaded)", "seconds", "frames/s", fps, PlotOrientation.VERTICAL, true, false, false);
        XYPlot xy = chart.getXYPlot();
        xy.setRenderer(0, new XYLineAndShapeRenderer(true, false));
        dashedOnSecondAxis(xy, "kbit/s", kbps);
        // one colour per viewer: frames/s solid, kbit/s dashed
        Color[] colours = {new Color(200, 40, 40), new Color(40, 80, 200)};
        for (int i = 0; i < colours.length; i++) {
            xy.getRenderer(0).setSeriesPaint(i, colours[i]);
            xy.getRenderer(1).setSeriesPaint(i, colours[i]);
        }
        IntervalMarker capped = new IntervalMarker((cap.capAt() - cap.startAt()) / 1000.0,
                (cap.liftAt() - cap.startAt()) / 1000.0, new Color(255, 200, 120, 90));
        capped.setLabel("cap");
        xy.addDomainMarker(capped, Layer.BACKGROUND);
        ChartUtils.saveChartAsPNG(plot.toFile(), chart, 900, 500);
    }

    private static void cpuAgainstViewers(Results results, Path file) throws IOException {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (Results.Cost cost : results.costs) {
            if (cost.failure() == null) {
                series.computeIfAbsent(cost.mode(), XYSeries::new).add(cost.viewers(), cost.cpuPercent());
            }
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        series.values().forEach(dataset::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart("Container CPU against viewers", "viewers",
                "CPU, % of one core", dataset, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < dataset.getSeriesCount(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 500);
    }
}
