package io.pistream.webrtc.internal.session;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import com.sun.jna.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The figures a session shows of its link, read from webrtcbin's statistics every second or two once connected: the
 * bitrate between two readings of the bytes sent and received, the packets lost (in all, and the share lost now)
 * and the round-trip time. Read on the control executor, shown from any thread.
 */
final class LinkStats {

    private static final Logger LOG = LoggerFactory.getLogger(LinkStats.class);

    private final ScheduledExecutorService control;
    private final long timeoutMillis;
    private final BooleanSupplier ended;
    private final Supplier<Pointer> webrtcbin;
    private final Runnable read;
    private ScheduledFuture<?> timer;
    private volatile long bitrate;
    private volatile long packetsLost;
    private volatile double rttMillis = -1;
    private volatile double lossFraction;
    private long packetsBetweenReadings;
    private long lastBytes = -1;
    private long lastPackets = -1;
    private long lastLost;
    private long lastReportedLost;
    private double lastFraction = -1;
    /** At the last new receiver report: the viewer's count of packets lost, and the packets sent it covers. */
    private long reportLost;
    private long reportSent;
    private boolean warnedOfNoCounts;
    private double lastRoundTrip = -1;
    private boolean fresh;
    private long lastNanos;

    /**
     * @param ended whether the session ended: then nothing more is read
     * @param webrtcbin the session's webrtcbin
     * @param read runs after each reading, once the figures are updated
     */
    LinkStats(ScheduledExecutorService control, long timeoutMillis, BooleanSupplier ended, Supplier<Pointer> webrtcbin,
            Runnable read) {
        this.control = control;
        this.timeoutMillis = timeoutMillis;
        this.ended = ended;
        this.webrtcbin = webrtcbin;
        this.read = read;
    }

    /** Reads every {@code intervalMillis}, from one interval on. */
    void start(long intervalMillis) {
        timer = control.scheduleWithFixedDelay(this::poll, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /**
     * @param bytes bytes sent and received so far
     * @param packets RTP packets sent and received so far
     * @param lost packets lost so far, as the viewer reports them (producer) or as counted here (receiver)
     * @param fractionLost the share lost that the viewer's last receiver report gives, or negative when there is
     *                     none (a receiver counts its own losses)
     * @param roundTripSeconds the round-trip time, or negative if unknown
     * @param reportedLost packets lost so far as the viewer's reports count them (a producer), below 0 when more
     *                     packets arrived than were sent (some twice): only its changes are read
     * @param reportedSent packets sent so far on the streams those reports cover (a producer)
     * @param nowNanos when, from {@link System#nanoTime()}
     */
    void update(long bytes, long packets, long lost, double fractionLost, double roundTripSeconds, long reportedLost,
            long reportedSent, long nowNanos) {
        // a reset counter (bytes going down) or no time passed gives no bitrate: the last one stays
        if (lastBytes >= 0 && nowNanos > lastNanos && bytes >= lastBytes) {
            bitrate = (bytes - lastBytes) * 8 * 1_000_000_000L / (nowNanos - lastNanos);
        }
        packetsBetweenReadings = lastPackets >= 0 && packets >= lastPackets ? packets - lastPackets : 0;
        if (fractionLost >= 0) {
            // receiver reports come every second or every few: a reading that repeats the last report says nothing new
            fresh = lost != lastLost || reportedLost != lastReportedLost || fractionLost != lastFraction
                    || roundTripSeconds != lastRoundTrip;
            if (fresh) {
                lossFraction = reportedLoss(reportedLost, fractionLost, reportedSent);
            }
        } else {
            fresh = true;
            if (lastPackets >= 0 && packets > lastPackets && lost >= lastLost) {
                lossFraction = Math.min(1, (lost - lastLost) / (double) (packets - lastPackets));
            }
        }
        lastBytes = bytes;
        lastPackets = packets;
        lastLost = lost;
        lastReportedLost = reportedLost;
        lastFraction = fractionLost;
        lastRoundTrip = roundTripSeconds;
        lastNanos = nowNanos;
        packetsLost = lost;
        rttMillis = roundTripSeconds < 0 ? -1 : roundTripSeconds * 1000;
    }

    /**
     * The share lost since the last new report: the viewer's count of lost packets against the packets sent meanwhile.
     * Not the report's own fraction lost: a browser that asks for packets again sends a report with each request,
     * and such a report's fraction covers the few packets since the one before (1 of 3 lost read as "33 %" on a link
     * that lost 2 %). Without counts of what was sent, the report's fraction is all there is.
     */
    private double reportedLoss(long lost, double fractionLost, long reportedSent) {
        long sent = reportedSent - reportSent;
        if (sent <= 0) {
            if (reportedSent == 0 && !warnedOfNoCounts) {
                warnedOfNoCounts = true;
                LOG.warn("webrtcbin's statistics match none of the viewer's reports to a stream sent: the loss shown "
                        + "is the last report's own fraction lost");
            }
            return fractionLost;
        }
        double share = Math.min(1, Math.max(0, lost - reportLost) / (double) sent);
        reportLost = lost;
        reportSent = reportedSent;
        return share;
    }

    /** Whether the last reading brought a new report of the link (or counts of this side's own). */
    boolean fresh() {
        return fresh;
    }

    /** Bits per second, 0 until two readings. */
    long bitrate() {
        return bitrate;
    }

    /** RTP packets sent and received between the last two readings, 0 until two (a producer's are mostly sent). */
    long packetsBetweenReadings() {
        return packetsBetweenReadings;
    }

    long packetsLost() {
        return packetsLost;
    }

    /**
     * The share of packets lost, 0 to 1: what the viewer's reports count lost since its report before, over the
     * packets sent meanwhile (producer), or the packets lost between the last two readings over those received
     * (receiver); 0 until known.
     */
    double lossFraction() {
        return lossFraction;
    }

    /** Milliseconds, or -1 if unknown. */
    double rttMillis() {
        return rttMillis;
    }

    private void poll() {
        if (ended.getAsBoolean()) {
            return;
        }
        WebRtcStats.request(webrtcbin.get(), control, timeoutMillis).whenCompleteAsync((stats, error) -> {
            if (error != null || ended.getAsBoolean()) {
                return;
            }
            update(stats.bytesSent() + stats.bytesReceived(), stats.packetsSent() + stats.packetsReceived(),
                    stats.packetsLost(), stats.fractionLost(), stats.roundTripSeconds(), stats.reportedPacketsLost(),
                    stats.reportedPacketsSent(), System.nanoTime());
            read.run();
        }, control);
    }
}
