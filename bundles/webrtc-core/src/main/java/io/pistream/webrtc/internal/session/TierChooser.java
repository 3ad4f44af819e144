package io.pistream.webrtc.internal.session;

import java.util.concurrent.TimeUnit;

/**
 * Which tier of a source's quality ladder one viewer should get, from what its link reports every reading: the
 * fraction of packets lost, the round-trip time and, when the viewer sends one, its bandwidth estimate. The rules
 * are few so that a log line can explain every move:
 * <ul>
 * <li><b>down</b> one tier after two congested readings in a row (loss of 10 % or more, an estimate that fell below
 * 80 % of what the viewer is sent, or a round trip that doubled and grew by 200 ms over the best seen), or at once when a
 * reading lost a quarter of the packets, or 2 % with such a round trip (the link carries far less than the tier, or
 * its queue overflows: waiting only lengthens the freeze), at most once per {@link #DOWN_HOLD_NANOS}; a round trip
 * does not count for {@link #RTT_AFTER_DOWN_NANOS} after a move down;</li>
 * <li><b>up</b> one tier after a clean stretch (loss under 2 %, round trip near the best seen) of {@code upAfter},
 * which starts at 8 s, doubles (up to 32 s) when a move up is undone within 10 s unless moves are probed, and is back
 * to 8 s once a move up held for a minute. A move up met by congestion is undone at the first congested reading, or sooner when the
 * session sees it fail ({@link #undoUp}); the readings of the next 3 s are not judged then, since the link still
 * carries the upper tier's packets (and round trips measured through its queue). When the session can probe the
 * link ({@link LinkProbe}), a move up that is due is first a probe ({@link Choice#probe()}): the move is made only
 * if the probe held ({@link #probed}); after a failed one the readings of the next 2 s are not judged (they tell of
 * the probe's packets) and the next probe comes after a clean stretch of at most {@link #PROBE_AGAIN_NANOS}, since a
 * failed probe costs the viewer a short delay where a failed move froze its picture.
 * The estimate does not hold a viewer down: a receiver estimates from what it gets, and cannot see room above
 * it.</li>
 * </ul>
 * The reading after a move down is not judged: it spans the move, and the loss reports in it still speak of the
 * tier left (measured: a viewer capped at 1 Mbit/s reported 27 % lost in its first report after it had moved from
 * 2 Mbit/s to 600 kbit/s, which would have sent it on down to 150 kbit/s).
 * A viewer on a good link therefore stays on the top tier whatever other viewers do. Not thread-safe: one session's
 * control thread calls it.
 */
final class TierChooser {

    static final double CONGESTED_LOSS = 0.10;
    static final double HEAVY_LOSS = 0.25;
    /** A receiver that estimates less than this share of what it is sent is falling behind. */
    static final double ESTIMATE_SHORT = 0.8;
    static final double CLEAN_LOSS = 0.02;
    static final long DOWN_HOLD_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long FIRST_UP_AFTER_NANOS = TimeUnit.SECONDS.toNanos(8);
    static final long MAX_UP_AFTER_NANOS = TimeUnit.SECONDS.toNanos(32);
    private static final long UNDONE_WITHIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long SETTLED_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long the readings after an {@link #undoUp} are not judged. */
    static final long AFTER_UNDO_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final double RTT_GROWTH_MILLIS = 200;
    /** The longest clean stretch before the probe after a failed one. */
    static final long PROBE_AGAIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * How long after a move down a round trip does not count: it is measured with the sender report the viewer got
     * last, which waited in the queue the upper tier filled (measured: 237 ms against a best of 1 ms, 3 s after a move
     * down from 2 Mbit/s through a 1 Mbit/s link, which sent the viewer on down to 150 kbit/s).
     */
    static final long RTT_AFTER_DOWN_NANOS = TimeUnit.SECONDS.toNanos(4);
    /** How long the readings after a failed probe are not judged. */
    static final long AFTER_PROBE_NANOS = TimeUnit.SECONDS.toNanos(2);

    /**
     * Where the viewer is and why it went there; {@code probe} asks the session to probe the link for the tier above
     * before moving there, and to tell the outcome to {@link #probed}.
     */
    record Choice(int tier, String reason, boolean probe) {
    }

    private final int tiers;
    private final boolean probeFirst;
    /** A probe asked for and not yet told about. */
    private boolean probing;
    private boolean lastProbeFailed;
    private int tier;
    private String reason = "start on the top tier";
    private int congestedReadings;
    private boolean movedDown;
    private long cleanSinceNanos = -1;
    private long lastDownNanos = Long.MIN_VALUE / 2;
    private long lastUpNanos = Long.MIN_VALUE / 2;
    private long upAfterNanos = FIRST_UP_AFTER_NANOS;
    /** Readings before this are not judged. */
    private long quietUntilNanos = Long.MIN_VALUE;
    private double bestRttMillis = Double.NaN;
    private String probeReason;
    /** Why the viewer moves up once the next reading confirms the probe that held; null when none is waited for. */
    private String heldProbeReason;
    private long lastEstimateKbps;

    /** @param tiers how many tiers the ladder has, the top one included; moves up are not probed */
    TierChooser(int tiers) {
        this(tiers, false);
    }

    /**
     * @param tiers      how many tiers the ladder has, the top one included
     * @param probeFirst whether a move up is probed first
     */
    TierChooser(int tiers, boolean probeFirst) {
        if (tiers < 1) {
            throw new IllegalArgumentException("a ladder has at least its top tier");
        }
        this.tiers = tiers;
        this.probeFirst = probeFirst;
    }

    /**
     * One reading of the viewer's link.
     *
     * @param lossFraction packets lost over packets expected since the last reading, 0 to 1
     * @param rttMillis the round-trip time, negative if unknown
     * @param estimateKbps the viewer's bandwidth estimate, 0 or negative if it sends none
     * @param sentKbps what the viewer is sent now, 0 if not known
     */
    Choice observe(double lossFraction, double rttMillis, long estimateKbps, long sentKbps, long nowNanos) {
        if (rttMillis >= 0 && (Double.isNaN(bestRttMillis) || rttMillis < bestRttMillis)) {
            bestRttMillis = rttMillis;
        }
        if (heldProbeReason != null) {
            return confirmProbe(lossFraction, rttMillis, estimateKbps, sentKbps, nowNanos);
        }
        if (movedDown || probing || nowNanos < quietUntilNanos) {
            movedDown = false;
            lastEstimateKbps = estimateKbps;
            return choice();
        }
        String congestion = congestionIn(lossFraction, rttMillis, estimateKbps, sentKbps, nowNanos);
        if (congestion != null) {
            cleanSinceNanos = -1;
            // congestion right after a move up is that move's doing: back at once, every frozen second counts
            boolean upFailed = lastUpNanos > lastDownNanos && nowNanos - lastUpNanos < UNDONE_WITHIN_NANOS;
            congestedReadings += lossFraction >= HEAVY_LOSS || overflowing(lossFraction, rttMillis, nowNanos)
                    || upFailed ? 2 : 1;
            if (congestedReadings >= 2 && tier < tiers - 1
                    && (upFailed || nowNanos - lastDownNanos >= DOWN_HOLD_NANOS)) {
                down(congestion + (upFailed ? " after a move up" : ""), upFailed, nowNanos);
            }
            return choice();
        }
        congestedReadings = 0;
        if (lastUpNanos > lastDownNanos && nowNanos - lastUpNanos >= SETTLED_NANOS) {
            // the last move up held: the link is good again, forget the moves that did not
            upAfterNanos = FIRST_UP_AFTER_NANOS;
        }
        if (tier == 0 || !clean(lossFraction, rttMillis)) {
            cleanSinceNanos = -1;
            return choice();
        }
        if (cleanSinceNanos < 0) {
            cleanSinceNanos = nowNanos;
        }
        long cleanFor = nowNanos - cleanSinceNanos;
        if (cleanFor >= (lastProbeFailed ? Math.min(upAfterNanos, PROBE_AGAIN_NANOS) : upAfterNanos)) {
            String why = String.format(java.util.Locale.ROOT, "up: clean link for %d s",
                    TimeUnit.NANOSECONDS.toSeconds(cleanFor));
            cleanSinceNanos = -1;
            if (probeFirst) {
                probing = true;
                probeReason = why;
                return new Choice(tier, reason, true);
            }
            up(why, nowNanos);
        }
        return choice();
    }

    /**
     * The outcome of the probe the last choice asked for. The viewer stays where it is now: when the probe held, the
     * next reading moves it up if that reading shows a clean link ({@link #observe}).
     *
     * @param summary what the probe saw, in a few words
     */
    Choice probed(boolean held, String summary, long nowNanos) {
        if (!probing) {
            return choice();
        }
        probing = false;
        if (held) {
            heldProbeReason = probeReason + ", " + summary;
        } else {
            probeFailed(summary, nowNanos);
        }
        return choice();
    }

    /**
     * The reading after a probe that held: the viewer moves up if it shows a clean link. A full queue can hide from
     * the viewer's estimate and still hold the probe's packets back: the round trip of the reports that come through
     * it tells (265 ms against 1 ms at best, seen through a 1 Mbit/s cap that a probe had passed).
     */
    private Choice confirmProbe(double lossFraction, double rttMillis, long estimateKbps, long sentKbps,
            long nowNanos) {
        String held = heldProbeReason;
        heldProbeReason = null;
        String congestion = congestionIn(lossFraction, rttMillis, estimateKbps, sentKbps, nowNanos);
        if (congestion == null && clean(lossFraction, rttMillis)) {
            lastProbeFailed = false;
            up(held, nowNanos);
        } else {
            probeFailed((congestion != null ? congestion : String.format(java.util.Locale.ROOT,
                    "%.0f %% of packets lost, round trip %.0f ms", lossFraction * 100, rttMillis))
                    + " in the report after a probe that held", nowNanos);
        }
        return choice();
    }

    private void probeFailed(String summary, long nowNanos) {
        lastProbeFailed = true;
        reason = reason.replaceFirst("; no room: .*$", "") + "; no room: " + summary;
        quietUntilNanos = nowNanos + AFTER_PROBE_NANOS;
    }

    private void up(String why, long nowNanos) {
        move(tier - 1, why);
        lastUpNanos = nowNanos;
    }

    /**
     * The session saw the last move up fail sooner than a reading could tell (the viewer asked for many packets
     * again within a fraction of a second of the move): back down one tier at once. Nothing moves when the last
     * move was not up.
     */
    Choice undoUp(String why, long nowNanos) {
        if (tier < tiers - 1 && lastUpNanos > lastDownNanos) {
            down(why + " after a move up", true, nowNanos);
            // the link is still full of the upper tier and its retransmissions: not the tier's doing
            quietUntilNanos = nowNanos + AFTER_UNDO_NANOS;
        }
        return choice();
    }

    private void down(String why, boolean upFailed, long nowNanos) {
        if (upFailed && !probeFirst) {
            // and wait longer before the next try. Not when moves are probed: the next move waits for a probe that
            // holds anyway, and a longer wait only kept the viewer down once its link was free (measured: after a
            // probed move was undone, 16 s to wait kept a viewer on 640x360 for 18.7 s after its 1 Mbit/s cap lifted)
            upAfterNanos = Math.min(MAX_UP_AFTER_NANOS, upAfterNanos * 2);
        }
        move(tier + 1, "down: " + why);
        movedDown = true;
        lastDownNanos = nowNanos;
        congestedReadings = 0;
        cleanSinceNanos = -1;
    }

    Choice choice() {
        return new Choice(tier, reason, false);
    }

    /** How long a clean link must last before the next move up. */
    long upAfterNanos() {
        return upAfterNanos;
    }

    /**
     * The congestion a reading shows, or null, its round trip left out for a while after a move down (it was
     * measured through the queue the tier left had filled); the reading's estimate is the one the next compares with.
     */
    private String congestionIn(double lossFraction, double rttMillis, long estimateKbps, long sentKbps,
            long nowNanos) {
        String congestion = congestion(lossFraction, judgedRtt(rttMillis, nowNanos), estimateKbps, sentKbps);
        lastEstimateKbps = estimateKbps;
        return congestion;
    }

    /** The round trip a reading is judged by: none for a while after a move down. */
    private double judgedRtt(double rttMillis, long nowNanos) {
        return nowNanos - lastDownNanos < RTT_AFTER_DOWN_NANOS ? -1 : rttMillis;
    }

    private String congestion(double lossFraction, double rttMillis, long estimateKbps, long sentKbps) {
        if (lossFraction >= CONGESTED_LOSS) {
            return String.format(java.util.Locale.ROOT, "%.0f %% of packets lost", lossFraction * 100);
        }
        // a receiver's estimate climbs slowly after a move up: only one that fell says the link is full
        if (estimateKbps > 0 && estimateKbps < lastEstimateKbps && sentKbps > 0
                && estimateKbps < sentKbps * ESTIMATE_SHORT) {
            return "estimate " + estimateKbps + " kbit/s for " + sentKbps + " sent";
        }
        if (queueGrew(rttMillis)) {
            return String.format(java.util.Locale.ROOT, "round trip %.0f ms, best %.0f ms", rttMillis, bestRttMillis)
                    + (lossFraction >= CLEAN_LOSS ? String.format(java.util.Locale.ROOT, ", %.0f %% of packets lost",
                            lossFraction * 100) : "");
        }
        return null;
    }

    /** A round trip that doubled and grew by {@link #RTT_GROWTH_MILLIS}: a queue on the way to the viewer. */
    private boolean queueGrew(double rttMillis) {
        return rttMillis >= 0 && !Double.isNaN(bestRttMillis) && rttMillis > 2 * bestRttMillis
                && rttMillis > bestRttMillis + RTT_GROWTH_MILLIS;
    }

    /**
     * A queue on the way to the viewer that drops packets: the link is full and waiting only lengthens the freeze.
     * Its loss may look small, since the viewer's reports leave out what retransmissions repaired (seen: 5 % lost and
     * a round trip of 289 ms for 20 s, on a loaded machine, through a relay that capped 2.3 Mbit/s to 1 Mbit/s).
     * Round trips do not count for a while after a move down.
     */
    private boolean overflowing(double lossFraction, double rttMillis, long nowNanos) {
        return lossFraction >= CLEAN_LOSS && queueGrew(judgedRtt(rttMillis, nowNanos));
    }

    private boolean clean(double lossFraction, double rttMillis) {
        if (lossFraction >= CLEAN_LOSS) {
            return false;
        }
        return rttMillis < 0 || Double.isNaN(bestRttMillis) || rttMillis <= 1.5 * bestRttMillis
                || rttMillis <= bestRttMillis + 50;
    }

    private void move(int to, String why) {
        tier = to;
        reason = why;
    }
}
