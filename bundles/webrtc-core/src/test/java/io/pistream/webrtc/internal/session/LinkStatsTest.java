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
        stats.update(1_000, 10, 0, -1, -1, 0, 0, 10 * SECOND);
        assertEquals(0, stats.bitrate());
        assertEquals(-1, stats.rttMillis());

        stats.update(251_000, 210, 3, -1, 0.025, 0, 0, 12 * SECOND);
        assertEquals(1_000_000, stats.bitrate());
        assertEquals(3, stats.packetsLost());
        assertEquals(25.0, stats.rttMillis(), 1e-9);
        assertEquals(0.015, stats.lossFraction(), 1e-9, "3 lost of 200 sent between the readings");
    }

    @Test
    void aReceiverCountsItsLossBetweenTwoReadings() {
        assertEquals(0, stats.lossFraction());
        stats.update(0, 1_000, 50, -1, 0, 0, 0, SECOND);
        assertEquals(0, stats.lossFraction(), "one reading says nothing of the loss now");
        stats.update(0, 1_100, 75, -1, 0, 0, 0, 2 * SECOND);
        assertEquals(0.25, stats.lossFraction(), 1e-9);
        stats.update(0, 1_200, 75, -1, 0, 0, 0, 3 * SECOND);
        assertEquals(0, stats.lossFraction(), 1e-9, "the earlier losses are over");
        assertTrue(stats.fresh());
    }

    /**
     * A viewer counts a packet that arrived twice (sent again while the first was only late) as received twice, so
     * its count of lost packets can stay below 0 while it loses packets: the loss shown follows the count's changes.
     */
    @Test
    void aProducerShowsTheLossOfAViewerWhoseCountIsBelowZero() {
        stats.update(0, 1_000, 0, 0, 0.002, -5, 1_000, SECOND);
        assertEquals(0, stats.lossFraction());
        assertEquals(0, stats.packetsLost(), "no count below 0 is shown");
        stats.update(0, 1_100, 0, 0, 0.002, -2, 1_100, 2 * SECOND);
        assertTrue(stats.fresh(), "a report whose count changed is news, though the count shown stays 0");
        assertEquals(0.03, stats.lossFraction(), 1e-9, "3 lost of the 100 sent since the report before");
        assertEquals(0, stats.packetsLost());
    }

    @Test
    void aProducerCountsTheViewersLossesAgainstWhatItSentAndKnowsWhenAReportIsNew() {
        stats.update(0, 1_000, 0, 0, 0.002, 0, 1_000, SECOND);
        assertTrue(stats.fresh());
        assertEquals(0, stats.lossFraction());
        // a webrtcbin viewer reports every 5 s or so: its count grows in steps, against what was sent since
        stats.update(0, 3_000, 579, 0.27, 0.273, 579, 3_000, 3 * SECOND);
        assertTrue(stats.fresh());
        assertEquals(0.2895, stats.lossFraction(), 1e-9, "579 lost of the 2,000 sent since the report before");
        assertEquals(273, stats.rttMillis(), 1e-9);
        stats.update(0, 3_400, 579, 0.27, 0.273, 579, 3_400, 5 * SECOND);
        assertFalse(stats.fresh(), "the same report again: no news of the link");
        assertEquals(0.2895, stats.lossFraction(), 1e-9, "the last report still shows");
        stats.update(0, 4_200, 579, 0, 0.003, 579, 4_200, 7 * SECOND);
        assertTrue(stats.fresh());
        assertEquals(0, stats.lossFraction(), "nothing lost since");
    }

    @Test
    void aReportSentWithARequestForPacketsDoesNotSpeakForTheWholeSecond() {
        stats.update(0, 1_000, 0, 0, 0.002, 0, 1_000, SECOND);
        // Chromium sends a receiver report with each NACK: its fraction lost covers the 3 packets since the report
        // before, one of them lost; over the second, 4 of the 200 sent were lost (and 10 of what this side received
        // from the viewer, its microphone in a two-way session, which say nothing of the link toward it)
        stats.update(0, 1_200, 14, 85 / 256.0, 0.002, 4, 1_200, 2 * SECOND);
        assertTrue(stats.fresh());
        assertEquals(0.02, stats.lossFraction(), 1e-9);
        // lost packets that came again through retransmission are no longer counted lost: no loss, not less than none
        stats.update(0, 1_400, 12, 0, 0.002, 2, 1_400, 3 * SECOND);
        assertEquals(0, stats.lossFraction(), 1e-9);
    }

    @Test
    void withoutCountsOfWhatWasSentTheReportsFractionIsAllThereIs() {
        stats.update(0, 1_000, 10, 0.25, 0.002, 10, 0, SECOND);
        assertEquals(0.25, stats.lossFraction(), 1e-9);
    }
}
