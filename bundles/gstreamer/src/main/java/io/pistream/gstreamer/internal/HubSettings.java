package io.pistream.gstreamer.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Validated hub settings.
 *
 * @param stallMillis       how long a running video capture may go without a frame before it is taken as failed
 *                          and rebuilt (0: never)
 * @param idleCollectMillis how long after the last capture stopped the Java heap is collected (0: never)
 */
record HubSettings(long lingerMillis, long restartMinMillis, long restartMaxMillis, long stallMillis,
        long idleCollectMillis) {

    static final long STABLE_RUN_MILLIS = 10_000;
    static final long DEFAULT_STALL_MILLIS = 10_000;
    static final long DEFAULT_IDLE_COLLECT_MILLIS = 10_000;
    static final HubSettings DEFAULTS = new HubSettings(10_000, 500, 30_000, DEFAULT_STALL_MILLIS,
            DEFAULT_IDLE_COLLECT_MILLIS);

    HubSettings(long lingerMillis, long restartMinMillis, long restartMaxMillis) {
        this(lingerMillis, restartMinMillis, restartMaxMillis, DEFAULT_STALL_MILLIS);
    }

    HubSettings(long lingerMillis, long restartMinMillis, long restartMaxMillis, long stallMillis) {
        this(lingerMillis, restartMinMillis, restartMaxMillis, stallMillis, DEFAULT_IDLE_COLLECT_MILLIS);
    }
    /** A failing source's streak is summed up once per this many longest delays (5 minutes by default). */
    static final int SUMMARY_PERIOD_IN_MAX_DELAYS = 10;

    static HubSettings from(HubConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.linger_seconds() < 0 || config.linger_seconds() > 3600) {
            problems.add("linger.seconds must be between 0 and 3600, was " + config.linger_seconds());
        }
        if (config.restart_min_ms() < 10) {
            problems.add("restart.min.ms must be at least 10, was " + config.restart_min_ms());
        }
        if (config.restart_max_ms() < config.restart_min_ms()) {
            problems.add("restart.max.ms must not be below restart.min.ms, was " + config.restart_max_ms());
        }
        if (config.stall_seconds() < 0 || config.stall_seconds() > 3600) {
            problems.add("stall.seconds must be between 0 and 3600, was " + config.stall_seconds());
        }
        if (config.idle_collect_seconds() < 0 || config.idle_collect_seconds() > 3600) {
            problems.add("idle.collect.seconds must be between 0 and 3600, was " + config.idle_collect_seconds());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid io.pistream.hub configuration: " + String.join("; ", problems));
        }
        return new HubSettings(config.linger_seconds() * 1000L, config.restart_min_ms(), config.restart_max_ms(),
                config.stall_seconds() * 1000L, config.idle_collect_seconds() * 1000L);
    }

    long failureSummaryMillis() {
        return restartMaxMillis * SUMMARY_PERIOD_IN_MAX_DELAYS;
    }
}
