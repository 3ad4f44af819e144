package io.pistream.webrtc.internal.session;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds out whether a viewer's link has room for a higher tier before the viewer is moved there. For
 * {@link #SEND_MILLIS} the session sends, on top of the stream, copies of packets the viewer already got, as
 * retransmissions (RTX: the viewer drops them), at the rate the higher tier needs beyond what the viewer gets now;
 * then it listens for {@link #LISTEN_MILLIS} more. A link without that room queues the copies, and the probe fails:
 * <ul>
 * <li>when the viewer's bandwidth estimate (REMB) falls: a receiver lowers it as soon as its packets arrive later and
 * later, before the queue drops anything;</li>
 * <li>when the estimate, below the higher tier's rate, has not risen by the end: through a full link it stays where
 * it was, with room it rises as the copies come in;</li>
 * <li>when the viewer asks for {@link #FAILED_AT} packets again (NACK): the queue overflowed and dropped packets of
 * the stream.</li>
 * </ul>
 * Measured through a 1 Mbit/s link with a 300 ms queue: a move up to 2 Mbit/s froze Chromium's picture for 1.5-2.8 s
 * (the new tier's key frame, then the way back's, wait in that queue); a failed probe delayed it by less than 200 ms.
 * Packets asked again alone do not tell soon enough: a webrtcbin viewer (no estimate) asked for 0-3 packets during
 * 700 ms probes through a 1 Mbit/s link with a 300 ms queue, so the session probes only viewers that send an
 * estimate. A move up that passed its probe is still tried and undone as before when the link cannot carry it.
 * <p>
 * Runs on the session's control executor; not thread-safe otherwise.
 */
final class LinkProbe {

    static final long SEND_MILLIS = 400;
    static final long LISTEN_MILLIS = 400;
    static final long TICK_MILLIS = 20;
    /** Packets asked again during a probe (and its listening) that say the link has no room. */
    static final int FAILED_AT = 4;
    /**
     * How long after the probe's packets stop a falling estimate still fails it: the receiver's estimate may later
     * drop to what it receives again.
     */
    static final long ESTIMATE_WATCH_AFTER_MILLIS = 200;

    /** What the probe does to the session, and what it reads from it. */
    interface Session {
        /** The last packet sent on the probed stream, or null before one was sent. */
        WebRtcNative.LastPacket lastPacket();

        /** Sends packet {@code seqnum} of stream {@code ssrc} again; false when it cannot be sent any more. */
        boolean resend(int ssrc, int seqnum);

        /** Packets the viewer asked for again so far, every stream. */
        long packetsAskedAgain();

        /** Packets sent again so far (asked for or probing), as the retransmitter counts them. */
        long packetsSentAgain();

        /** The viewer's last bandwidth estimate (REMB) in kbit/s, or -1 when it sends none. */
        long estimateKbps();

        /** The mean size of the probed stream's packets now, in bytes. */
        int meanPacketBytes();

        boolean ended();
    }

    /** How a probe ended; {@code summary} explains it in a few words, for logs and the status. */
    record Outcome(boolean held, String summary) {
    }

    private final Session session;
    private final long extraBitsPerSecond;
    private final long targetKbps;
    private final int skip;
    private final int span;
    private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    private long startNanos;
    private long lastTickNanos;
    private long askedAtStart;
    private long sentAgainAtStart;
    private long estimateAtStart;
    private double owedPackets;
    private int next;
    private ScheduledFuture<?> timer;

    /**
     * @param targetKbps what the tier probed for sends, in kbit/s: a viewer's estimate at least that high needs not
     *                   rise
     * @param extraKbps what to send beyond the stream, in kbit/s
     * @param skip      how many of the last packets sent are not sent again: copies of the packets the link queues
     *                  as the probe fills it would stand in for those it drops, and hide the lack of room
     * @param span      how many packets before those the probe sends again, in turn: all still in the
     *                  retransmission history
     */
    private LinkProbe(Session session, long targetKbps, long extraKbps, int skip, int span) {
        this.session = session;
        this.targetKbps = targetKbps;
        this.extraBitsPerSecond = extraKbps * 1000;
        this.skip = Math.max(0, skip);
        this.span = Math.max(1, span);
    }

    /** Starts a probe; the outcome completes on {@code control}. */
    static CompletableFuture<Outcome> start(ScheduledExecutorService control, Session session, long targetKbps,
            long extraKbps, int skip, int span) {
        LinkProbe probe = new LinkProbe(session, targetKbps, extraKbps, skip, span);
        control.execute(() -> probe.begin(control));
        return probe.outcome;
    }

    private void begin(ScheduledExecutorService control) {
        startNanos = System.nanoTime();
        lastTickNanos = startNanos;
        askedAtStart = session.packetsAskedAgain();
        sentAgainAtStart = session.packetsSentAgain();
        estimateAtStart = session.estimateKbps();
        timer = control.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (outcome.isDone()) {
            return;
        }
        if (session.ended()) {
            end(false, "the session ended");
            return;
        }
        long now = System.nanoTime();
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(now - startNanos);
        long asked = session.packetsAskedAgain() - askedAtStart;
        if (asked >= FAILED_AT) {
            end(false, String.format(Locale.ROOT, "%d packets asked again %d ms into a probe of %d kbit/s more "
                    + "(%d sent again)", asked, elapsedMillis, extraBitsPerSecond / 1000, sentAgain()));
            return;
        }
        long estimate = session.estimateKbps();
        if (estimateAtStart > 0 && estimate > 0 && estimate < estimateAtStart
                && elapsedMillis <= SEND_MILLIS + ESTIMATE_WATCH_AFTER_MILLIS) {
            // a receiver lowers its estimate only when it sees the delay grow (measured with Chromium: by 0.6 to 28 %,
            // 200-360 ms into a probe through a full 1 Mbit/s link): the queue fills before it drops anything
            end(false, String.format(Locale.ROOT, "the viewer's estimate fell from %d to %d kbit/s %d ms into a probe "
                    + "of %d kbit/s more (%d sent again)", estimateAtStart, estimate, elapsedMillis,
                    extraBitsPerSecond / 1000, sentAgain()));
            return;
        }
        if (elapsedMillis >= SEND_MILLIS + LISTEN_MILLIS) {
            if (estimateAtStart > 0 && estimate > 0 && estimate <= estimateAtStart && estimate < targetKbps) {
                // measured with Chromium: through a full link its estimate, already below what the link carries,
                // stayed where it was; with room it rose (by 5 % within the probe) as the copies came in
                end(false, String.format(Locale.ROOT, "the viewer's estimate stayed at %d kbit/s through a probe of "
                        + "%d kbit/s more (%d sent again)", estimate, extraBitsPerSecond / 1000, sentAgain()));
                return;
            }
            end(true, String.format(Locale.ROOT, "a probe of %d kbit/s more held (%d packets sent again, %d asked "
                    + "again, estimate %d then %d kbit/s)", extraBitsPerSecond / 1000, sentAgain(), asked,
                    estimateAtStart, estimate));
            return;
        }
        if (elapsedMillis < SEND_MILLIS) {
            send(now);
        }
        lastTickNanos = now;
    }

    private void send(long now) {
        WebRtcNative.LastPacket last = session.lastPacket();
        if (last == null) {
            return;
        }
        int packetBytes = Math.max(100, session.meanPacketBytes());
        owedPackets += extraBitsPerSecond / 8.0 * (now - lastTickNanos) / 1e9 / packetBytes;
        while (owedPackets >= 1) {
            owedPackets--;
            // never the last: it may not have reached the retransmitter's history yet
            int seqnum = (last.seqnum() - 1 - skip - next) & 0xffff;
            next = (next + 1) % span;
            if (!session.resend(last.ssrc(), seqnum)) {
                end(false, "the session can no longer send");
                return;
            }
        }
    }

    private long sentAgain() {
        return session.packetsSentAgain() - sentAgainAtStart;
    }

    private void end(boolean held, String summary) {
        if (timer != null) {
            timer.cancel(false);
        }
        outcome.complete(new Outcome(held, summary));
    }
}
