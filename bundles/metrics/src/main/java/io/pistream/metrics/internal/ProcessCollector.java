package io.pistream.metrics.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import org.osgi.service.component.annotations.Component;

/**
 * The process, from Linux's {@code /proc/self} (native memory counts: GStreamer's buffers are not on the Java
 * heap) and the JVM's own beans. Names follow Prometheus' conventions for process metrics.
 */
@Component(service = MetricsCollector.class)
public final class ProcessCollector implements MetricsCollector {

    /** Clock ticks per second of {@code /proc/self/stat}: 100 on every Linux this runs on. */
    private static final double TICKS_PER_SECOND = 100;

    private final Path proc;

    public ProcessCollector() {
        this(Path.of("/proc/self"));
    }

    ProcessCollector(Path proc) {
        this.proc = proc;
    }

    @Override
    public List<MetricSnapshot> collect() {
        List<MetricSnapshot> metrics = new ArrayList<>();
        try {
            String status = Files.readString(proc.resolve("status"));
            long rss = statusKilobytes(status, "VmRSS");
            long virtual = statusKilobytes(status, "VmSize");
            long threads = statusKilobytes(status, "Threads");
            if (rss >= 0) {
                metrics.add(Snapshots.gauge("process_resident_memory_bytes", "Resident memory size in bytes")
                        .dataPoint(Snapshots.point(rss * 1024)).build());
            }
            if (virtual >= 0) {
                metrics.add(Snapshots.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes")
                        .dataPoint(Snapshots.point(virtual * 1024)).build());
            }
            if (threads >= 0) {
                metrics.add(Snapshots.gauge("process_threads", "Threads of the process, native ones included")
                        .dataPoint(Snapshots.point(threads)).build());
            }
            double cpu = cpuSeconds(Files.readString(proc.resolve("stat")));
            if (cpu >= 0) {
                metrics.add(Snapshots.counter("process_cpu_seconds", "User and system CPU time spent in seconds")
                        .dataPoint(Snapshots.count(cpu)).build());
            }
            try (var fds = Files.list(proc.resolve("fd"))) {
                metrics.add(Snapshots.gauge("process_open_fds", "Open file descriptors")
                        .dataPoint(Snapshots.point(fds.count())).build());
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc hidden: the JVM's figures below still tell something
        }
        metrics.add(Snapshots.gauge("process_start_time_seconds", "Start time of the process since the epoch")
                .dataPoint(Snapshots.point(ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0)).build());
        metrics.add(Snapshots.gauge("jvm_threads_current", "Java threads")
                .dataPoint(Snapshots.point(ManagementFactory.getThreadMXBean().getThreadCount())).build());
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        metrics.add(Snapshots.gauge("jvm_memory_used_bytes", "Java memory used by area")
                .dataPoint(Snapshots.point(heap.getUsed(), "area", "heap"))
                .dataPoint(Snapshots.point(nonHeap.getUsed(), "area", "nonheap")).build());
        if (heap.getMax() > 0) {
            metrics.add(Snapshots.gauge("jvm_memory_max_bytes", "The most Java heap the JVM may use")
                    .dataPoint(Snapshots.point(heap.getMax(), "area", "heap")).build());
        }
        return metrics;
    }

    /** A {@code Key:   123 kB} (or plain number) line of {@code /proc/self/status}, or -1. */
    static long statusKilobytes(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                String value = line.substring(key.length() + 1).trim().split("\\s+")[0];
                return Long.parseLong(value);
            }
        }
        return -1;
    }

    /** utime + stime of {@code /proc/self/stat} in seconds, or -1. */
    static double cpuSeconds(String stat) {
        // the command name (field 2) may hold spaces and parentheses: count fields after its closing one
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return -1;
        }
        String[] fields = stat.substring(end + 2).trim().split("\\s+");
        // fields[0] is the state (field 3): utime and stime are fields 14 and 15
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }
}
