package io.pistream.benchmarks;

import java.util.ArrayList;
import java.util.List;

/** Everything one run of the suite measured, in the order the report shows it. */
final class Results {

    /** Percentiles of a list of milliseconds. */
    record Distribution(List<Long> values) {
        long percentile(double p) {
            if (values.isEmpty()) {
                return -1;
            }
            List<Long> sorted = values.stream().sorted().toList();
            int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }

        long max() {
            return values.stream().mapToLong(Long::longValue).max().orElse(-1);
        }
    }

    record Latency(String receiver, Distribution millis, int unreadable, String size) {
    }

    record FirstFrame(String client, Distribution millis) {
    }

    /** Container CPU (percent of one core) and RSS with a number of viewers of one kind. */
    record Cost(String mode, int viewers, double cpuPercent, double rssMiB, String framesPerSecond, String failure) {
    }

    /** The same job done by pistream and by a native GStreamer program, measured alternately. */
    record Floor(String job, List<Double> pistreamCpu, List<Double> nativeCpu, double pistreamRssMiB,
            double nativeRssMiB) {
        /**
         * The median of the rounds' ratios: the two sides of a round run a minute apart, and this machine's speed
         * drifts more than that between rounds (the native RTSP server took 17.6-23.7 % of a core in five rounds).
         */
        double ratio() {
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < Math.min(pistreamCpu.size(), nativeCpu.size()); round++) {
                ratios.add(pistreamCpu.get(round) / nativeCpu.get(round));
            }
            return median(ratios);
        }
    }

    /**
     * Fuzz of the signalling server while one RTSP viewer plays: what was sent, how the server refused it, what the
     * viewer lost and the container's RSS around it.
     */
    record Fuzz(SignallingFuzz.Outcome outcome, long viewerFrames, long expectedFrames, long longestGapMillis,
            double rssBeforeMiB, double rssPeakMiB, double rssAfterMiB, String containerDeath) {
        boolean containerSurvived() {
            return containerDeath == null;
        }

        long framesLost() {
            return Math.max(0, expectedFrames - viewerFrames);
        }
    }

    /** A step of the suite that threw: the rest of the run went on without it. */
    record FailedStep(String step, String reason) {
    }

    String date;
    String machine;
    String software;
    String mode;
    /** What the report should say about the conditions of the run (another load on the machine, say), or null. */
    String note;
    String loadBefore;
    String loadAfter;
    final List<Long> bootMillis = new ArrayList<>();
    /** The same containers stopped and started again: what a device meets at every power-up after the first. */
    final List<Long> restartMillis = new ArrayList<>();
    final List<Latency> latencies = new ArrayList<>();
    final List<FirstFrame> firstFrames = new ArrayList<>();
    double idleCpuPercent = Double.NaN;
    double idleRssMiB = Double.NaN;
    /** The idle container's RSS once a full collection and a trim of the native heap have run (jcmd). */
    double idleRssCollectedMiB = Double.NaN;
    /** Where the memory was 15 s after boot, at the idle figure and after the collection and trim (idle stage). */
    MemoryBreakdown memoryAfterBoot;
    MemoryBreakdown memoryIdle;
    MemoryBreakdown memoryIdleCollected;
    final List<Cost> costs = new ArrayList<>();
    final List<Floor> floors = new ArrayList<>();
    Fuzz fuzz;
    final List<Churn.Outcome> churns = new ArrayList<>();
    Soak.Outcome soak;
    /** The network stage: two viewers, one of them behind a capped link; then that one with loss. */
    LinkStage.CapRun linkCap;
    final List<LinkStage.LossRun> linkLoss = new ArrayList<>();
    final List<FailedStep> failedSteps = new ArrayList<>();

    /** Records that a step failed, with its reason on one line (exception type and message). */
    void failed(String step, Throwable error) {
        String message = error.getMessage() == null ? ""
                : ": " + error.getMessage().strip().replaceAll("\\s*\\R\\s*", "; ");
        failedSteps.add(new FailedStep(step, error.getClass().getSimpleName() + message));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
