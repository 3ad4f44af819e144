package io.pistream.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FailureStreakTest {

    private static final long MS = 1_000_000;

    @Test
    void aStreakIsOneErrorPerReasonAndOneWarningPerPeriod() {
        FailureStreak streak = new FailureStreak(1000);
        assertEquals(FailureStreak.Level.ERROR, streak.record("device gone", 0));
        assertEquals(FailureStreak.Level.DEBUG, streak.record("device gone", 500 * MS));
        assertEquals(FailureStreak.Level.WARN, streak.record("device gone", 1000 * MS));
        assertEquals(FailureStreak.Level.DEBUG, streak.record("device gone", 1999 * MS));
        assertEquals(FailureStreak.Level.ERROR, streak.record("encoder missing", 2100 * MS), "a new reason is news");
        assertEquals(FailureStreak.Level.DEBUG, streak.record("encoder missing", 2500 * MS));
        assertEquals(6, streak.count());
        assertEquals(6, streak.end());
        assertEquals(0, streak.count());
        assertNull(streak.since());
        assertEquals(FailureStreak.Level.ERROR, streak.record("encoder missing", 2600 * MS),
                "after a good run the same reason is news again");
    }
}
