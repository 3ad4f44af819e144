package io.pistream.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.pistream.webrtc.benchmark.ViewerProcess;

/**
 * A few viewers of every protocol watching for a long time with the whole platform on: each viewer's frames per
 * second along the way, its longest time without a new frame, and the container's RSS. The viewer processes count
 * frames but keep no times, so frame counts are polled: a gap is known to within the polling period.
 */
final class Soak {

    /** One protocol's viewers and how many of them. */
    record Group(String protocol, int viewers, Churn.Viewers start) {
    }

    /** The frames per second of one viewer over a window ending {@code seconds} after the start. */
    record Rate(double seconds, double framesPerSecond) {
    }

    record Viewer(String name, long frames, long longestGapMillis, List<Rate> rates) {
    }

    record RssPoint(double seconds, double rssMiB) {
    }

    /** What the soak saw; {@code failure} when it could not run to the end. */
    record Outcome(double seconds, List<Viewer> viewers, List<RssPoint> rss, String failure) {
        long longestGapMillis() {
            return viewers.stream().mapToLong(Viewer::longestGapMillis).max().orElse(-1);
        }

        /** Last RSS against the first one taken after the warm-up, in percent. */
        double rssGrowthPercent() {
            if (rss.size() < 2) {
                return Double.NaN;
            }
            return 100.0 * (rss.get(rss.size() - 1).rssMiB() - rss.get(0).rssMiB()) / rss.get(0).rssMiB();
        }
    }

    private static final long POLL_MILLIS = 200;

    private final String pid;
    private final Consumer<String> log;

    Soak(String pid, Consumer<String> log) {
        this.pid = pid;
        this.log = log;
    }

    Outcome run(List<Group> groups, Duration warmup, Duration length, Duration window) throws Exception {
        List<ViewerProcess> processes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        String failure = null;
        long start = 0;
        long[] counted = new long[0];
        long[] gaps = new long[0];
        List<List<Rate>> rates = new ArrayList<>();
        List<RssPoint> rss = new ArrayList<>();
        try {
            for (Group group : groups) {
                ViewerProcess process = group.start().start();
                processes.add(process);
                process.add(group.viewers(), false, 60_000);
                for (int i = 1; i <= group.viewers(); i++) {
                    names.add(group.protocol() + " " + i);
                }
            }
            Thread.sleep(warmup.toMillis());
            long[] first = frames(processes);
            long[] last = first.clone();
            long[] windowStart = first.clone();
            long[] lastNew = new long[first.length];
            gaps = new long[first.length];
            start = System.nanoTime();
            java.util.Arrays.fill(lastNew, start);
            for (int i = 0; i < first.length; i++) {
                rates.add(new ArrayList<>());
            }
            rss.add(new RssPoint(0, ProcessStats.rssMiB(pid)));
            long nextWindow = start + window.toNanos();
            long end = start + length.toNanos();
            while (System.nanoTime() < end) {
                Thread.sleep(POLL_MILLIS);
                long[] now = frames(processes);
                long at = System.nanoTime();
                for (int i = 0; i < now.length; i++) {
                    gaps[i] = Math.max(gaps[i], at - lastNew[i]);
                    if (now[i] > last[i]) {
                        lastNew[i] = at;
                    }
                }
                last = now;
                if (at >= nextWindow) {
                    double seconds = (at - start) / 1e9;
                    double windowSeconds = window.toNanos() / 1e9;
                    for (int i = 0; i < now.length; i++) {
                        rates.get(i).add(new Rate(seconds, (now[i] - windowStart[i]) / windowSeconds));
                    }
                    windowStart = now;
                    rss.add(new RssPoint(seconds, ProcessStats.rssMiB(pid)));
                    nextWindow += window.toNanos();
                }
            }
            counted = new long[last.length];
            for (int i = 0; i < last.length; i++) {
                counted[i] = last[i] - first[i];
            }
        } catch (IOException e) {
            failure = e.getMessage();
        } finally {
            for (ViewerProcess process : processes) {
                process.close();
            }
        }
        double seconds = start == 0 ? 0 : (System.nanoTime() - start) / 1e9;
        List<Viewer> viewers = new ArrayList<>();
        for (int i = 0; i < counted.length; i++) {
            viewers.add(new Viewer(names.get(i), counted[i], gaps[i] / 1_000_000, rates.get(i)));
        }
        Outcome outcome = new Outcome(seconds, viewers, rss, failure);
        log.accept(String.format(Locale.ROOT, "soak: %d viewers for %.0f s, longest gap %d ms, RSS %+.1f %%%s",
                viewers.size(), seconds, outcome.longestGapMillis(), outcome.rssGrowthPercent(),
                failure == null ? "" : "; " + failure));
        return outcome;
    }

    private static long[] frames(List<ViewerProcess> processes) throws IOException {
        long[] all = new long[0];
        for (ViewerProcess process : processes) {
            all = Suite.concat(all, process.frames());
        }
        return all;
    }
}
