package io.pistream.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.pistream.webrtc.benchmark.ViewerProcess;

/**
 * Viewers of one protocol connecting and leaving, batch after batch: each viewer of a batch plays until it has
 * frames, then the batch leaves and the next one comes. Before, along the way and once the container has settled
 * afterwards: its RSS, threads, open files and media pipelines (RTSP medias and WebRTC sessions, from its own
 * {@code /metrics}). A leak shows as a figure that does not come back.
 */
final class Churn {

    /** The container after {@code cycles} viewers came and went. */
    record Point(int cycles, double rssMiB, int threads, int openFiles, int pipelines) {
    }

    /** What one protocol's churn left behind; {@code failure} when it could not run to the end. */
    record Outcome(String protocol, int cycles, long millis, Point before, Point after, List<Point> curve,
            String failure) {
        double rssGrowthPercent() {
            return 100.0 * (after.rssMiB() - before.rssMiB()) / before.rssMiB();
        }
    }

    /** Starts the process of viewers of one protocol. */
    interface Viewers {
        ViewerProcess start() throws IOException;
    }

    /** Threads and files a container may keep above its baseline once settled: pools that idle down slowly. */
    static final int THREAD_SLACK = 5;
    static final int FILE_SLACK = 10;
    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final String pid;
    private final HttpClient http;
    private final URI metrics;
    private final String token;
    private final Consumer<String> log;

    Churn(String pid, HttpClient http, URI metrics, String token, Consumer<String> log) {
        this.pid = pid;
        this.http = http;
        this.metrics = metrics;
        this.token = token;
        this.log = log;
    }

    Outcome run(String protocol, Viewers viewers, int batches, int batchSize) throws Exception {
        Thread.sleep(3000); // what the last step started winds down
        Point before = point(0);
        List<Point> curve = new ArrayList<>(List.of(before));
        long start = System.nanoTime();
        int cycles = 0;
        String failure = null;
        try (ViewerProcess process = viewers.start()) {
            for (int batch = 0; batch < batches; batch++) {
                process.add(batchSize, false, 60_000);
                process.drop();
                cycles += batchSize;
                if (batch % Math.max(1, batches / 20) == 0 || batch == batches - 1) {
                    curve.add(point(cycles));
                }
            }
        } catch (IOException e) {
            failure = "after " + cycles + " cycles: " + e.getMessage();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Point after = settled(before, cycles);
        curve.add(after);
        Outcome outcome = new Outcome(protocol, cycles, millis, before, after, curve, failure);
        log.accept(String.format(java.util.Locale.ROOT, "churn %s: %d cycles in %.0f s; RSS %.0f -> %.0f MiB "
                + "(%+.1f %%), threads %d -> %d, files %d -> %d, pipelines %d -> %d%s", protocol, cycles,
                millis / 1000.0, before.rssMiB(), after.rssMiB(), outcome.rssGrowthPercent(), before.threads(),
                after.threads(), before.openFiles(), after.openFiles(), before.pipelines(), after.pipelines(),
                failure == null ? "" : "; " + failure));
        return outcome;
    }

    /** The container once threads, files and pipelines are back near the baseline, or after a minute. */
    private Point settled(Point baseline, int cycles) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Point now = point(cycles);
        while (System.nanoTime() < deadline && !(now.threads() <= baseline.threads() + THREAD_SLACK
                && now.openFiles() <= baseline.openFiles() + FILE_SLACK && now.pipelines() <= baseline.pipelines())) {
            Thread.sleep(1000);
            now = point(cycles);
        }
        return now;
    }

    private Point point(int cycles) throws Exception {
        return new Point(cycles, ProcessStats.rssMiB(pid), ProcessStats.threads(pid), ProcessStats.openFiles(pid),
                pipelines());
    }

    /** RTSP medias and WebRTC sessions (producer, receiver), as the container's metrics count them. */
    private int pipelines() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IOException(metrics + " answered " + answer.statusCode());
        }
        double total = 0;
        for (String line : answer.body().split("\n")) {
            if (line.startsWith("pistream_rtsp_mount_medias{") || line.startsWith("pistream_webrtc_sessions{")
                    || line.startsWith("pistream_webrtc_sessions ")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return (int) total;
    }
}
