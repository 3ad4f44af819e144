package io.pistream.gstreamer.internal;

import java.time.Instant;
import java.util.Objects;

/**
 * The failures of a source since it last ran well, and how loudly to report the next one: a source that cannot
 * start fails for as long as its configuration is wrong, and one line per attempt would fill the log (an SD card,
 * on a Pi) with the same sentence. The first failure, and any failure with a new reason, is an error; repeats are
 * debug lines, with a warning that sums the streak up once per summary period.
 */
final class FailureStreak {

    enum Level { ERROR, WARN, DEBUG }

    private final long summaryNanos;
    private int count;
    private Instant since;
    private String reason;
    private long lastReportNanos;

    FailureStreak(long summaryMillis) {
        this.summaryNanos = summaryMillis * 1_000_000;
    }

    /** Counts a failure at {@code nowNanos} (System.nanoTime()) and says at which level to log it. */
    Level record(String failureReason, long nowNanos) {
        count++;
        if (count == 1) {
            since = Instant.now();
        }
        if (count == 1 || !Objects.equals(failureReason, reason)) {
            reason = failureReason;
            lastReportNanos = nowNanos;
            return Level.ERROR;
        }
        if (nowNanos - lastReportNanos >= summaryNanos) {
            lastReportNanos = nowNanos;
            return Level.WARN;
        }
        return Level.DEBUG;
    }

    int count() {
        return count;
    }

    Instant since() {
        return since;
    }

    /** The source ran well: the streak is over. Returns how many failures it had. */
    int end() {
        int ended = count;
        count = 0;
        since = null;
        reason = null;
        return ended;
    }
}
