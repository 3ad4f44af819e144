package io.pistream.snapshot.internal;

import io.pistream.gstreamer.SettingsCheck;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The checked configuration: a value out of range falls back to the defaults, with the reason in the log. */
record SnapshotSettings(int framesPerSecond, int quality, int maxConversions) {

    static final SnapshotSettings DEFAULTS = new SnapshotSettings(5, 85, 2);
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotSettings.class);

    static SnapshotSettings of(SnapshotConfig config) {
        SettingsCheck check = new SettingsCheck("io.pistream.snapshot");
        SnapshotSettings settings = new SnapshotSettings(check.range("framesPerSecond", config.framesPerSecond(), 1, 30),
                check.range("quality", config.quality(), 1, 100),
                check.range("maxConversions", config.maxConversions(), 1, 8));
        if (!check.ok()) {
            LOG.error("{}; using the defaults", check.problem());
            return DEFAULTS;
        }
        return settings;
    }
}
