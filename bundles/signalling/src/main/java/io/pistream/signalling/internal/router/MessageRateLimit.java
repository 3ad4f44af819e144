package io.pistream.signalling.internal.router;

import java.util.concurrent.TimeUnit;

/**
 * The message rate of one client, as a token bucket: {@code burst} messages at once, refilled at
 * {@code perSecond}. A message over the rate is dropped unread (not parsed, not routed), and the client is told
 * once a second; a client that goes on sending many times the rate is flooding and is disconnected. Checked before
 * parsing, so a flood costs little more than reading it.
 *
 * <p>One instance per connection; Jetty delivers one connection's frames one after the other.
 */
public final class MessageRateLimit {

    /** What to do with one message. */
    public enum Verdict {
        /** Within the rate: handle it. */
        ACCEPT,
        /** Over the rate: drop it, and tell the client why (first drop of a one-second window). */
        DROP_AND_TELL,
        /** Over the rate, already told in this window: drop it silently. */
        DROP,
        /** Dropped more than {@link #FLOOD_FACTOR} times the rate within one second: disconnect. */
        DISCONNECT
    }

    /** How many times the rate a client may have dropped within one second before it is taken for a flood. */
    public static final int FLOOD_FACTOR = 10;

    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final double tokensPerNano;
    private final double capacity;
    private final long floodDrops;
    private double tokens;
    private long refilledAt;
    private long windowStart;
    private long droppedInWindow;
    private boolean toldInWindow;

    public MessageRateLimit(int perSecond, int burst, long nowNanos) {
        this.tokensPerNano = perSecond / (double) WINDOW_NANOS;
        this.capacity = burst;
        this.floodDrops = (long) FLOOD_FACTOR * perSecond;
        this.tokens = burst;
        this.refilledAt = nowNanos;
        this.windowStart = nowNanos;
    }

    public synchronized Verdict offer(long nowNanos) {
        long elapsed = nowNanos - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            refilledAt = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return Verdict.ACCEPT;
        }
        if (nowNanos - windowStart >= WINDOW_NANOS) {
            windowStart = nowNanos;
            droppedInWindow = 0;
            toldInWindow = false;
        }
        droppedInWindow++;
        if (droppedInWindow > floodDrops) {
            return Verdict.DISCONNECT;
        }
        if (!toldInWindow) {
            toldInWindow = true;
            return Verdict.DROP_AND_TELL;
        }
        return Verdict.DROP;
    }
}
