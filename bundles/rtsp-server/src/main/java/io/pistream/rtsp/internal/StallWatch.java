package io.pistream.rtsp.internal;

import java.util.function.LongSupplier;

/**
 * Tells a playing media whose video no longer leaves its appsrc: more than {@link #STALLED_BUFFERS} buffers wait there
 * after its client has played for a second (a flowing media holds zero or one). Reported once until the client pauses.
 * Updated from the RTSP and hub threads.
 */
final class StallWatch {

    /**
     * Buffers waiting in the video appsrc of a playing media beyond which its pipeline is taken as stalled (a
     * flowing media holds zero or one).
     */
    static final long STALLED_BUFFERS = 45;
    /** Playing this long before queued buffers count: PLAY unblocks the streams after a short while. */
    private static final long SETTLE_NANOS = 1_000_000_000L;

    /** When a client started playing, or 0 while none plays (the streams are blocked until PLAY). */
    private volatile long playingSinceNanos;
    /** Set once a stall was reported, so that it is handled once. */
    private volatile boolean reported;

    /** A client plays the media (PLAY answered): from now on its streams must flow. */
    void playing(long nowNanos) {
        if (playingSinceNanos == 0) {
            playingSinceNanos = nowNanos;
        }
    }

    /** Its client paused: the streams may legitimately hold data. */
    void paused() {
        playingSinceNanos = 0;
        reported = false;
    }

    /**
     * A video buffer went into the appsrc.
     *
     * @param queuedBuffers reads the appsrc's level, only when it matters
     * @return whether the media has just stalled: {@code true} once until the client pauses
     */
    boolean stalledAfterPush(long nowNanos, LongSupplier queuedBuffers) {
        long playingSince = playingSinceNanos;
        if (playingSince != 0 && !reported && nowNanos - playingSince > SETTLE_NANOS
                && queuedBuffers.getAsLong() > STALLED_BUFFERS) {
            reported = true;
            return true;
        }
        return false;
    }
}
