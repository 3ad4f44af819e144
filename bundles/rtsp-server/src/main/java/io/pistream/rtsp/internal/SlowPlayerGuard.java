package io.pistream.rtsp.internal;

import java.util.function.IntSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the delay of a TCP player that cannot keep up bounded. Once its socket holds more unsent bytes than the
 * stream makes in {@link #MAX_DELAY_MILLIS}, video is skipped up to a key frame, which goes out once the socket has
 * drained to half of that. Without it, what the link cannot carry piles up in the server (gst-rtsp-server keeps up
 * to 10 s per transport) and the player's delay grows for as long as it plays. Only for a media that is not shared:
 * its player is alone on it, so the frames it misses no one else misses.
 */
final class SlowPlayerGuard {

    private static final Logger LOG = LoggerFactory.getLogger(SlowPlayerGuard.class);

    /** The delay a slow player may build up before frames are skipped. */
    static final long MAX_DELAY_MILLIS = 1000;
    /** Never less than this (a stream that has just started has no measured rate yet). */
    static final long MIN_UNSENT_BYTES = 16 * 1024;
    /** Key frames asked for a drained player at most this often: the encoder is shared with every other viewer. */
    private static final long KEY_FRAME_REQUEST_NANOS = 2_000_000_000L;
    /** How often a player that keeps skipping is reported again. */
    private static final long REPORT_NANOS = 30_000_000_000L;

    private final String player;
    private final IntSupplier unsentBytes;
    private final Runnable requestKeyFrame;

    private long windowStartNanos;
    private long windowBytes;
    private long bytesPerSecond;
    private boolean skipping;
    private long skippedFrames;
    private long streaks;
    private long lastKeyFrameRequestNanos;
    private long lastReportNanos;

    /**
     * @param player          what the logs call the player
     * @param unsentBytes     bytes the player's socket has not sent yet, or -1 when unknown
     * @param requestKeyFrame asks the encoder for a key frame
     */
    SlowPlayerGuard(String player, IntSupplier unsentBytes, Runnable requestKeyFrame) {
        this.player = player;
        this.unsentBytes = unsentBytes;
        this.requestKeyFrame = requestKeyFrame;
    }

    /** Whether to skip this video buffer rather than send it; on the hub's thread, for every video buffer. */
    synchronized boolean skip(long size, boolean keyFrame, long nowNanos) {
        measure(size, nowNanos);
        int unsent = unsentBytes.getAsInt();
        if (unsent < 0) {
            return false;
        }
        long limit = Math.max(MIN_UNSENT_BYTES, bytesPerSecond * MAX_DELAY_MILLIS / 1000);
        if (!skipping) {
            if (unsent <= limit) {
                return false;
            }
            skipping = true;
            streaks++;
            if (streaks == 1 || nowNanos - lastReportNanos > REPORT_NANOS) {
                lastReportNanos = nowNanos;
                LOG.info("RTSP {} cannot keep up ({} KiB not sent, over {} ms of stream): video skipped up to a key "
                        + "frame (time {}; {} frames skipped before)", player, unsent / 1024, MAX_DELAY_MILLIS,
                        streaks, skippedFrames);
            }
        } else if (unsent <= limit / 2) {
            if (keyFrame) {
                skipping = false;
                return false;
            }
            if (nowNanos - lastKeyFrameRequestNanos > KEY_FRAME_REQUEST_NANOS) {
                lastKeyFrameRequestNanos = nowNanos;
                requestKeyFrame.run();
            }
        }
        skippedFrames++;
        return true;
    }

    /** Frames skipped so far. */
    synchronized long skippedFrames() {
        return skippedFrames;
    }

    /** The stream's rate over the last second or so. */
    private void measure(long size, long nowNanos) {
        if (windowStartNanos == 0) {
            windowStartNanos = nowNanos;
        }
        windowBytes += size;
        long elapsed = nowNanos - windowStartNanos;
        if (elapsed >= 1_000_000_000L) {
            bytesPerSecond = windowBytes * 1_000_000_000L / elapsed;
            windowBytes = 0;
            windowStartNanos = nowNanos;
        }
    }
}
