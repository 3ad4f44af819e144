package io.pistream.rtp.internal;

import java.util.Set;

import io.pistream.gstreamer.SettingsCheck;

/** Checked H.264 encoder settings. */
record H264Settings(String encoder, int bitrateKbps, int keyFrameInterval, String profile, String problem) {

    static final String PID = "io.pistream.h264";
    static final Set<String> ENCODERS = Set.of("auto", "v4l2h264enc", "x264enc", "openh264enc");
    static final Set<String> PROFILES = Set.of("constrained-baseline", "baseline", "main", "high");
    static final H264Settings DEFAULTS = new H264Settings("auto", 2000, 30, "constrained-baseline", null);

    static H264Settings from(H264Config config) {
        SettingsCheck check = new SettingsCheck(PID);
        String encoder = check.oneOf("encoder", config.encoder(), ENCODERS);
        int bitrate = check.range("bitrate", config.bitrate(), 100, 50000);
        int interval = check.range("keyframe.interval", config.keyframe_interval(), 1, 600);
        String profile = check.oneOf("profile", config.profile(), PROFILES);
        return new H264Settings(encoder, bitrate, interval, profile, check.problem());
    }
}
