package io.pistream.gstreamer.internal;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the Java heap once the hub has run no capture for a while (and once after it started), so that the heap
 * the viewers' sessions grew goes back to the system. The serial collector that {@code bin/setenv} chooses collects
 * its old generation only when that fills, and gives memory back only in such a full collection: on an idle device
 * neither comes, and the heap stays at the size the busiest moment left (measured after 20 RTSP players had gone: 48
 * MiB of old generation committed for 28 MiB live; one collection with {@code -XX:-ShrinkHeapInSteps} brought it to
 * 40 MiB, and the process 6 MiB smaller). G1 does the same on its own ({@code G1PeriodicGCInterval}), at a higher
 * fixed cost. Used on the hub's control thread only.
 */
final class IdleCollection {

    private static final Logger LOG = LoggerFactory.getLogger(IdleCollection.class);
    private static final long MIB = 1024 * 1024;

    private final Scheduler scheduler;
    private final Runnable collector;
    private long delayMillis;
    private Scheduler.Cancellable pending;

    IdleCollection(Scheduler scheduler, long delayMillis, Runnable collector) {
        this.scheduler = scheduler;
        this.delayMillis = delayMillis;
        this.collector = collector;
    }

    /** From the next idle time on; 0 switches it off (and drops a collection already due). */
    void setDelayMillis(long delayMillis) {
        this.delayMillis = delayMillis;
        if (delayMillis == 0) {
            cancel();
        }
    }

    /** No capture runs from now on: collect after the delay unless one starts before. */
    void idle() {
        cancel();
        if (delayMillis > 0) {
            pending = scheduler.schedule(this::collect, delayMillis);
        }
    }

    /** A capture runs, or the hub stops: nothing to collect for now. */
    void cancel() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    private void collect() {
        pending = null;
        collector.run();
    }

    /** The collection itself: a full collection, which the serial collector follows by shrinking the heap. */
    static void collectHeap() {
        Runtime runtime = Runtime.getRuntime();
        long committedBefore = runtime.totalMemory();
        long started = System.nanoTime();
        System.gc();
        LOG.debug("No capture running: heap collected in {} ms, {} MiB committed before, {} MiB after ({} MiB used)",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), committedBefore / MIB,
                runtime.totalMemory() / MIB, (runtime.totalMemory() - runtime.freeMemory()) / MIB);
    }
}
