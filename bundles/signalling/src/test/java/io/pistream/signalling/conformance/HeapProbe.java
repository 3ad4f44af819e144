package io.pistream.signalling.conformance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;

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

    /**
     * Heap in use once what closed connections held is released, which must come within {@code bound} of
     * {@code before}: the server tears closed connections down asynchronously, so what it still holds a moment after
     * the last close is not a leak; what it holds after 15 s is. {@code failure} formats the amount still held.
     */
    static long usedOnceReleased(long before, long bound, String failure) {
        long[] after = {0};
        await("what the closed connections held is released").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            after[0] = usedAfterGc();
            assertTrue(after[0] - before < bound, String.format(failure, mib(after[0] - before)));
        });
        return after[0];
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
