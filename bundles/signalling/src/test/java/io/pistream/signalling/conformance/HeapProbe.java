package io.pistream.signalling.conformance;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** The test JVM's heap: used after a full collection, and the highest use seen by a sampler meanwhile. */
final class HeapProbe implements AutoCloseable {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final Thread sampler;
    private volatile boolean stop;
    private volatile long peak;

    private HeapProbe() {
        sampler = new Thread(() -> {
            while (!stop) {
                peak = Math.max(peak, MEMORY.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-probe");
        sampler.setDaemon(true);
    }

    /** Starts sampling. */
    static HeapProbe start() {
        HeapProbe probe = new HeapProbe();
        probe.sampler.start();
        return probe;
    }

    /** The highest heap use seen, garbage included. */
    long peak() {
        return peak;
    }

    /** Heap in use after full collections: what is really held. */
    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    static long max() {
        return Runtime.getRuntime().maxMemory();
    }

    static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        sampler.join(1000);
    }
}
