package io.pistream.benchmarks;

import java.io.IOException;

/** CPU (percent of one core) and the highest RSS of a process over a measurement window. */
record Sample(double cpuPercent, double maxRssMiB) {

    /** Measures {@code pid} for {@code seconds}, reading RSS every half second. */
    static Sample measure(String pid, int seconds) throws IOException, InterruptedException {
        long cpuBefore = ProcessStats.cpuMillis(pid);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        double rss = ProcessStats.rssMiB(pid);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(500, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            rss = Math.max(rss, ProcessStats.rssMiB(pid));
        }
        long wallMillis = (System.nanoTime() - start) / 1_000_000;
        return new Sample(ProcessStats.cpuPercent(cpuBefore, ProcessStats.cpuMillis(pid), wallMillis), rss);
    }
}
