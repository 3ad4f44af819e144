package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The figures a session shows from two readings of webrtcbin's statistics. No GStreamer. */
class LinkStatsTest {

    private static final long SECOND = 1_000_000_000L;

    private final LinkStats stats = new LinkStats(null, 0, () -> true, () -> null, () -> {
    });

    @Test
    void bitrateFromTwoReadingsRttInMillis() {
        assertEquals(-1, stats.rttMillis());
        stats.update(1_000, 10, 0, -1, -1, 10 * SECOND);
        assertEquals(0, stats.bitrate());
        assertEquals(-1, stats.rttMillis());

        stats.update(251_000, 210, 3, -1, 0.025, 12 * SECOND);
        assertEquals(1_000_000, stats.bitrate());
        assertEquals(3, stats.packetsLost());
        assertEquals(25.0, stats.rttMillis(), 1e-9);
        assertEquals(0.015, stats.lossFraction(), 1e-9, "3 lost of 200 sent between the readings");
    }

    @Test
    void aReceiverCountsItsLossBetweenTwoReadings() {
        assertEquals(0, stats.lossFraction());
        stats.update(0, 1_000, 50, -1, 0, SECOND);
        assertEquals(0, stats.lossFraction(), "one reading says nothing of the loss now");
        stats.update(0, 1_100, 75, -1, 0, 2 * SECOND);
        assertEquals(0.25, stats.lossFraction(), 1e-9);
        stats.update(0, 1_200, 75, -1, 0, 3 * SECOND);
        assertEquals(0, stats.lossFraction(), 1e-9, "the earlier losses are over");
        assertTrue(stats.fresh());
    }

    @Test
    void aProducerTakesTheViewersReportAndKnowsWhenItIsNew() {
        stats.update(0, 1_000, 0, 0, 0.002, SECOND);
        assertTrue(stats.fresh());
        assertEquals(0, stats.lossFraction());
        stats.update(0, 1_400, 579, 0.27, 0.273, 3 * SECOND);
        assertTrue(stats.fresh());
        assertEquals(0.27, stats.lossFraction(), 1e-9, "the report's fraction lost, not 579 of 400 sent");
        assertEquals(273, stats.rttMillis(), 1e-9);
        stats.update(0, 1_800, 579, 0.27, 0.273, 5 * SECOND);
        assertFalse(stats.fresh(), "the same report again: no news of the link");
        assertEquals(0.27, stats.lossFraction(), 1e-9, "the last report still shows");
        stats.update(0, 2_200, 579, 0, 0.003, 7 * SECOND);
        assertTrue(stats.fresh());
        assertEquals(0, stats.lossFraction());
    }
}
