package io.pistream.gstreamer.internal;

/** Doubling restart delay, reset once a pipeline has run long enough to count as healthy. */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    private long next;

    Backoff(long minMillis, long maxMillis) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.next = minMillis;
    }

    long nextDelay() {
        long delay = next;
        next = Math.min(maxMillis, next * 2);
        return delay;
    }

    void reset() {
        next = minMillis;
    }
}
