package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The figures a session shows from two readings of webrtcbin's statistics. No GStreamer. */
class LinkStatsTest {

    private static final long SECOND = 1_000_000_000L;

    private final LinkStats stats = new LinkStats(null, 0, () -> true, () -> null, read -> {
    });

    @Test
    void bitrateFromTwoReadingsRttInMillis() {
        assertEquals(-1, stats.rttMillis());
        stats.update(1_000, 0, -1, 10 * SECOND);
        assertEquals(0, stats.bitrate());
        assertEquals(-1, stats.rttMillis());

        stats.update(251_000, 3, 0.025, 12 * SECOND);
        assertEquals(1_000_000, stats.bitrate());
        assertEquals(3, stats.packetsLost());
        assertEquals(25.0, stats.rttMillis(), 1e-9);
    }

    @Test
    void aCounterThatWentDownKeepsTheLastBitrate() {
        stats.update(0, 0, 0, SECOND);
        stats.update(125_000, 0, 0, 2 * SECOND);
        stats.update(10, 0, 0, 3 * SECOND);
        assertEquals(1_000_000, stats.bitrate());
        // counted again from the reset
        stats.update(125_010, 0, 0, 4 * SECOND);
        assertEquals(1_000_000, stats.bitrate());
    }
}
