package io.pistream.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

/** When a playing media counts as stalled: once, after a second of play, with more than 45 buffers queued. */
class StallWatchTest {

    private static final long SECOND = 1_000_000_000L;
    private static final LongSupplier FULL = () -> StallWatch.STALLED_BUFFERS + 1;

    private final StallWatch watch = new StallWatch();

    @Test
    void aMediaNobodyPlaysNeverStallsAndItsQueueIsNotRead() {
        assertFalse(watch.stalledAfterPush(100 * SECOND, () -> {
            throw new AssertionError("the level is read only for a playing media");
        }));
    }

    @Test
    void stalledOnceAfterTheFirstSecondOfPlayUntilPaused() {
        watch.playing(10 * SECOND);
        watch.playing(10 * SECOND + SECOND / 2); // a second PLAY does not restart the second
        assertFalse(watch.stalledAfterPush(11 * SECOND, FULL));
        assertFalse(watch.stalledAfterPush(12 * SECOND, () -> StallWatch.STALLED_BUFFERS));
        assertTrue(watch.stalledAfterPush(12 * SECOND, FULL));
        assertFalse(watch.stalledAfterPush(13 * SECOND, FULL));

        watch.paused();
        assertFalse(watch.stalledAfterPush(20 * SECOND, FULL));
        watch.playing(20 * SECOND);
        assertTrue(watch.stalledAfterPush(22 * SECOND, FULL));
    }
}
