package io.pistream.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a Linux process, read from /proc. */
public final class ProcessStats {

    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private ProcessStats() {
    }

    /** User plus system CPU time of the process, in milliseconds. */
    public static long cpuMillis(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        // Fields after the command name (which may contain spaces) start after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    /** Resident set size in MiB. */
    public static double rssMiB(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** Threads of the process (Java and native). */
    public static int threads(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no Threads for " + pid);
    }

    /** Open file descriptors of the process (files, sockets, pipes). */
    public static int openFiles(String pid) throws IOException {
        try (java.util.stream.Stream<Path> descriptors = Files.list(Path.of("/proc", pid, "fd"))) {
            return (int) descriptors.count();
        }
    }

    /** A short description of this machine for reports. */
    public static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 2)).orElse(cpu);
        } catch (IOException ignored) {
            // keep the placeholder
        }
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", Java "
                + System.getProperty("java.version");
    }

    /** Percent of one core used between two readings. */
    public static double cpuPercent(long cpuBefore, long cpuAfter, long wallMillis) {
        return 100.0 * (cpuAfter - cpuBefore) / wallMillis;
    }
}
