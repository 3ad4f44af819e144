package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rules that move one viewer between the tiers of a ladder, fed readings every two seconds. No GStreamer. */
class TierChooserTest {

    private static final long SECOND = 1_000_000_000L;
    private final TierChooser chooser = new TierChooser(3);
    /** What each tier sends, in kbit/s. */
    private static final long[] SENT = {2000, 600, 150};
    private long now;

    private TierChooser.Choice reading(double loss, double rttMillis, long estimateKbps) {
        now += 2 * SECOND;
        return chooser.observe(loss, rttMillis, estimateKbps, SENT[chooser.choice().tier()], now);
    }

    @Test
    void aGoodLinkStaysOnTheTop() {
        for (int i = 0; i < 100; i++) {
            assertEquals(0, reading(0.001, 20, 5000).tier());
        }
        assertEquals(0, reading(0.15, 20, 0).tier(), "one bad reading is not a trend");
        assertEquals(0, reading(0, 20, 0).tier());
    }

    @Test
    void lossMovesDownOneTierPerTwoCongestedReadings() {
        reading(0, 20, 0);
        assertEquals(0, reading(0.2, 25, 0).tier());
        TierChooser.Choice down = reading(0.2, 25, 0);
        assertEquals(1, down.tier());
        assertTrue(down.reason().startsWith("down: 20 % of packets lost"), down.reason());
        assertEquals(1, reading(0.9, 25, 0).tier(), "the reading after a move spans it: not judged");
        reading(0.2, 25, 0);
        assertEquals(2, reading(0.2, 25, 0).tier());
        reading(0.3, 25, 0);
        assertEquals(2, reading(0.3, 25, 0).tier(), "the bottom tier is the floor");
    }

    @Test
    void aQuarterOfThePacketsLostMovesDownAtOnceOncePerHold() {
        reading(0, 20, 0);
        TierChooser.Choice down = reading(0.5, 20, 0);
        assertEquals(1, down.tier(), "a link that carries half of the tier does not wait for a second reading");
        assertTrue(down.reason().startsWith("down: 50 % of packets lost"), down.reason());
        now += SECOND / 2;
        assertEquals(1, chooser.observe(0.5, 20, 0, 600, now).tier(), "the reading after a move is not judged");
        now += SECOND / 2;
        assertEquals(1, chooser.observe(0.5, 20, 0, 600, now).tier(), "not again within the hold");
        assertEquals(2, reading(0.5, 20, 0).tier());
    }

    @Test
    void anEstimateThatFallsWellBelowWhatIsSentMovesDown() {
        reading(0, 20, 2500);
        reading(0, 20, 1100);
        TierChooser.Choice down = reading(0, 20, 900);
        assertEquals(1, down.tier(), "the receiver cut its estimate to 900 kbit/s: it cannot carry 2000");
        assertEquals("down: estimate 900 kbit/s for 2000 sent", down.reason());
        for (int i = 0; i < 3; i++) {
            assertEquals(1, reading(0, 20, 900).tier(), "900 carries 600");
        }
    }

    @Test
    void anEstimateStillClimbingAfterAMoveUpIsNoCongestion() {
        reading(0.2, 20, 0);
        reading(0.2, 20, 0);
        while (chooser.choice().tier() == 1) {
            reading(0, 20, 700);
        }
        // receivers raise their estimate by a few percent a second: far below 2000 for a while, but rising
        for (long estimate = 760; estimate < 2000; estimate = estimate * 108 / 100) {
            assertEquals(0, reading(0, 20, estimate).tier(), "estimate " + estimate + " and rising");
        }
    }

    @Test
    void aRoundTripThatDoublesAndGrowsIsCongestion() {
        reading(0, 30, 0);
        reading(0, 280, 0);
        assertEquals(1, reading(0, 300, 0).tier());
        assertTrue(chooser.choice().reason().contains("round trip 300 ms, best 30 ms"), chooser.choice().reason());
    }

    @Test
    void aRoundTripThatGrewWithAFewPacketsLostMovesDownAtOnce() {
        reading(0, 1, 0);
        assertEquals(0, reading(0.01, 289, 0).tier(), "a queue alone may be a moment's: it waits for a second reading");
        reading(0, 1, 0);
        TierChooser.Choice down = reading(0.048, 289, 0);
        assertEquals(1, down.tier(), "a queue that drops packets is a full link");
        assertEquals("down: round trip 289 ms, best 1 ms, 5 % of packets lost", down.reason());
        assertEquals(1, reading(0.05, 289, 0).tier(), "the reading after a move is not judged");
        now += SECOND;
        assertEquals(1, chooser.observe(0.05, 289, 0, 600, now).tier(),
                "nor, for a while, a round trip measured through the queue the tier left");
    }

    @Test
    void aRoundTripThroughTheQueueTheUpperTierFilledDoesNotMoveFurtherDown() {
        now += SECOND;
        chooser.observe(0, 2, 0, 2000, now);
        now += SECOND;
        assertEquals(1, chooser.observe(0.4, 2, 0, 2000, now).tier());
        long downAt = now;
        while (now + SECOND - downAt < TierChooser.RTT_AFTER_DOWN_NANOS) {
            now += SECOND;
            assertEquals(1, chooser.observe(0, 237, 0, 600, now).tier(), (now - downAt) / SECOND + " s after");
        }
        now += SECOND;
        chooser.observe(0, 237, 0, 600, now);
        now += SECOND;
        assertEquals(2, chooser.observe(0, 237, 0, 600, now).tier(), "a round trip that stays long is congestion");
    }

    @Test
    void aCleanLinkComesBackUpAfterTheWaitOneTierAtATime() {
        for (int i = 0; i < 5; i++) {
            reading(0.2, 20, 0);
        }
        assertEquals(2, chooser.choice().tier());
        long cleanFrom = now;
        while (chooser.choice().tier() == 2) {
            reading(0, 20, 0);
        }
        assertTrue(now - cleanFrom >= TierChooser.FIRST_UP_AFTER_NANOS, "waited " + (now - cleanFrom) / SECOND);
        assertTrue(now - cleanFrom <= TierChooser.FIRST_UP_AFTER_NANOS + 4 * SECOND);
        assertEquals(1, chooser.choice().tier());
        assertTrue(chooser.choice().reason().startsWith("up: clean link"), chooser.choice().reason());
        while (chooser.choice().tier() == 1) {
            reading(0, 20, 0);
        }
        assertEquals(0, chooser.choice().tier());
    }

    @Test
    void anEstimateDoesNotHoldAViewerDown() {
        reading(0.2, 20, 0);
        reading(0.2, 20, 0);
        assertEquals(1, chooser.choice().tier());
        // a receiver estimates from what it gets: 700 for 600 received says nothing of room for 2000
        long cleanFrom = now;
        while (chooser.choice().tier() == 1) {
            reading(0, 20, 700);
        }
        assertEquals(0, chooser.choice().tier());
        assertTrue(now - cleanFrom <= TierChooser.FIRST_UP_AFTER_NANOS + 4 * SECOND, "waited " + (now - cleanFrom));
    }

    @Test
    void aMoveUpThatDoesNotHoldDoublesTheNextWait() {
        reading(0.2, 20, 0);
        reading(0.2, 20, 0);
        assertEquals(1, chooser.choice().tier());
        assertEquals(TierChooser.FIRST_UP_AFTER_NANOS, chooser.upAfterNanos());
        for (int round = 1; round <= 4; round++) {
            while (chooser.choice().tier() == 1) {
                reading(0, 20, 0);
            }
            // the top tier is too much for the link: lost again at once, and undone at the first report of it
            TierChooser.Choice back = reading(0.2, 20, 0);
            assertEquals(1, back.tier());
            assertEquals("down: 20 % of packets lost after a move up", back.reason());
            assertEquals(Math.min(TierChooser.MAX_UP_AFTER_NANOS, TierChooser.FIRST_UP_AFTER_NANOS << round),
                    chooser.upAfterNanos(), "round " + round);
        }
    }

    @Test
    void aMoveUpTheSessionSeesFailIsUndoneBeforeAnyReadingAndDoublesTheNextWait() {
        reading(0.2, 20, 0);
        reading(0.2, 20, 0);
        assertEquals(1, chooser.choice().tier());
        assertEquals(1, chooser.undoUp("no move up to undo", now).tier(), "the last move was down");
        while (chooser.choice().tier() == 1) {
            reading(0, 20, 0);
        }
        now += SECOND / 4;
        TierChooser.Choice back = chooser.undoUp("40 packets asked again in 250 ms", now);
        assertEquals(1, back.tier());
        assertEquals("down: 40 packets asked again in 250 ms after a move up", back.reason());
        assertEquals(2 * TierChooser.FIRST_UP_AFTER_NANOS, chooser.upAfterNanos());
        assertEquals(1, chooser.undoUp("again", now).tier(), "undone once only");
        for (long quiet = now + TierChooser.AFTER_UNDO_NANOS - SECOND / 2; now < quiet; now += SECOND / 2) {
            assertEquals(1, chooser.observe(0.5, 20, 0, 600, now).tier(),
                    "the link still carries the upper tier's packets: not judged");
        }
        now += SECOND;
        chooser.observe(0.5, 20, 0, 600, now);
        assertEquals(2, chooser.choice().tier(), "judged again once the link had time to drain");
    }

    @Test
    void congestionLongAfterAMoveUpTakesTwoReadingsAgain() {
        reading(0.2, 20, 0);
        reading(0.2, 20, 0);
        while (chooser.choice().tier() == 1) {
            reading(0, 20, 0);
        }
        for (int i = 0; i < 6; i++) {
            reading(0, 20, 0);
        }
        assertEquals(0, reading(0.2, 20, 0).tier(), "12 s after the move up: one reading is not a trend");
        assertEquals(1, reading(0.2, 20, 0).tier());
        assertEquals(TierChooser.FIRST_UP_AFTER_NANOS, chooser.upAfterNanos(), "the move up had held");
    }

    @Test
    void aMoveUpThatHeldForAMinuteResetsTheWait() {
        reading(0.2, 20, 0);
        reading(0.2, 20, 0);
        while (chooser.choice().tier() == 1) {
            reading(0, 20, 0);
        }
        assertEquals(1, reading(0.2, 20, 0).tier());
        assertEquals(2 * TierChooser.FIRST_UP_AFTER_NANOS, chooser.upAfterNanos());
        while (chooser.choice().tier() == 1) {
            reading(0, 20, 0);
        }
        for (int i = 0; i < 29; i++) {
            reading(0, 20, 0);
        }
        assertEquals(2 * TierChooser.FIRST_UP_AFTER_NANOS, chooser.upAfterNanos(), "58 s on the top");
        reading(0, 20, 0);
        assertEquals(0, chooser.choice().tier());
        assertEquals(TierChooser.FIRST_UP_AFTER_NANOS, chooser.upAfterNanos(), "a minute on the top");
    }

    @Test
    void aProbingChooserProbesBeforeEachMoveUpAndMovesOnlyWhenTheProbeHeld() {
        TierChooser probing = new TierChooser(3, true);
        now += SECOND;
        probing.observe(0.2, 20, 0, 2000, now);
        now += SECOND;
        assertEquals(1, probing.observe(0.2, 20, 0, 2000, now).tier());
        TierChooser.Choice choice;
        do {
            now += SECOND;
            choice = probing.observe(0, 20, 0, 600, now);
        } while (!choice.probe() && now < 30 * SECOND);
        assertTrue(choice.probe(), "a move up that is due is a probe first");
        assertEquals(1, choice.tier(), "and no move yet");
        now += SECOND;
        assertEquals(1, probing.observe(0.3, 20, 0, 600, now).tier(), "readings during the probe are not judged");
        assertEquals(1, probing.observe(0, 20, 0, 600, now).tier());

        now += SECOND / 2;
        TierChooser.Choice failed = probing.probed(false, "6 packets asked again 520 ms into a probe", now);
        assertEquals(1, failed.tier(), "the viewer stays where it is");
        assertTrue(failed.reason().startsWith("down: 20 % of packets lost")
                && failed.reason().endsWith("; no room: 6 packets asked again 520 ms into a probe"),
                failed.reason());
        long failedAt = now;
        for (now += SECOND / 2; now < failedAt + TierChooser.AFTER_PROBE_NANOS; now += SECOND / 2) {
            assertEquals(1, probing.observe(0.4, 20, 0, 600, now).tier(),
                    "the loss the probe caused is not the tier's");
        }
        choice = probedAgainSoonAfter(probing, failedAt);

        assertEquals(1, probing.probed(true, "a probe of 1400 kbit/s more held", now).tier(),
                "the report after the probe has the last word");
        now += SECOND;
        TierChooser.Choice up = probing.observe(0, 20, 0, 600, now);
        assertEquals(0, up.tier());
        assertTrue(up.reason().matches("up: clean link for \\d+ s, a probe of 1400 kbit/s more held"), up.reason());
        assertEquals(0, probing.probed(true, "told twice", now).tier(), "only the probe asked for counts");
        assertEquals(TierChooser.FIRST_UP_AFTER_NANOS, probing.upAfterNanos(), "no move was undone");
    }

    @Test
    void aMoveUpAfterAProbeIsStillOnTrial() {
        TierChooser probing = downOneTierAndDueForAProbe();
        probing.probed(true, "a probe held", now);
        now += SECOND / 2;
        assertEquals(0, probing.observe(0, 20, 0, 600, now).tier());
        now += SECOND / 2;
        TierChooser.Choice back = probing.undoUp("30 packets asked again in 250 ms", now);
        assertEquals(1, back.tier(), "a queue deeper than the probe hid the lack of room");
        // the next move waits for a probe that holds: no longer wait, so the viewer is back up soon after its link
        // is free again
        assertEquals(TierChooser.FIRST_UP_AFTER_NANOS, probing.upAfterNanos());
        long undoneAt = now;
        TierChooser.Choice choice;
        do {
            now += SECOND;
            choice = probing.observe(0, 20, 0, 600, now);
        } while (!choice.probe() && now < undoneAt + 60 * SECOND);
        assertTrue(choice.probe(), "probed again");
        assertTrue(now - undoneAt <= TierChooser.AFTER_UNDO_NANOS + TierChooser.FIRST_UP_AFTER_NANOS + 2 * SECOND,
                "the next probe after " + (now - undoneAt) / SECOND + " s");
    }

    @Test
    void aProbeThatHeldFailsOnAReportAfterItWhoseRoundTripGrew() {
        TierChooser probing = downOneTierAndDueForAProbe();
        assertEquals(1, probing.probed(true, "a probe of 1400 kbit/s more held", now).tier());
        now += SECOND / 5;
        // the probe's packets queued behind a full link: the estimate hid it, the round trip does not
        TierChooser.Choice after = probing.observe(0, 265, 0, 600, now);
        assertEquals(1, after.tier(), "the viewer stays");
        assertTrue(after.reason().endsWith("; no room: round trip 265 ms, best 20 ms in the report after a probe that "
                + "held"), after.reason());
        assertEquals(TierChooser.FIRST_UP_AFTER_NANOS, probing.upAfterNanos(), "no move up was tried and undone");
        probedAgainSoonAfter(probing, now);
    }

    /** Clean readings after a failed probe: the next probe comes sooner than a move up would. */
    private TierChooser.Choice probedAgainSoonAfter(TierChooser probing, long failedAt) {
        TierChooser.Choice choice;
        do {
            now += SECOND;
            choice = probing.observe(0, 20, 0, 600, now);
        } while (!choice.probe() && now < failedAt + 30 * SECOND);
        assertTrue(choice.probe());
        assertTrue(now - failedAt <= TierChooser.AFTER_PROBE_NANOS + TierChooser.PROBE_AGAIN_NANOS + 2 * SECOND,
                "a failed probe costs little: the next one comes sooner than a move up would, after "
                        + (now - failedAt) / SECOND + " s");
        return choice;
    }

    /** A probing chooser of 3 tiers, moved down by heavy loss, then on a clean link until its first probe is due. */
    private TierChooser downOneTierAndDueForAProbe() {
        TierChooser probing = new TierChooser(3, true);
        now += SECOND;
        probing.observe(0.3, 20, 0, 2000, now);
        TierChooser.Choice choice;
        do {
            now += SECOND;
            choice = probing.observe(0, 20, 0, 600, now);
        } while (!choice.probe() && now < 30 * SECOND);
        assertTrue(choice.probe(), "a probe is due");
        assertEquals(1, choice.tier());
        return probing;
    }
}
