package io.pistream.rtp.internal;

import java.util.Map;
import java.util.regex.Pattern;

import io.pistream.api.net.HostNames;
import io.pistream.gstreamer.SettingsCheck;
import io.pistream.rtp.push.RtpTarget;

/** A checked RTP push configuration. */
record RtpSettings(String name, String host, int port, String video, String audio, int audioPort, int mtu,
        int payload, int audioPayload, String problem) {

    RtpTarget target() {
        return new RtpTarget(name, host, port, video, audio, audioPort, mtu, payload, audioPayload);
    }

    static final String PID = "io.pistream.rtp";
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    static RtpSettings from(RtpConfig config, Map<String, ?> properties) {
        SettingsCheck check = new SettingsCheck(PID);
        String host = check.text("host", config.host());
        check.require(!host.isEmpty(), "host", "the receiver's address is required");
        check.require(host.isEmpty() || HostNames.isHost(host), "host",
                "must be an IP address or a host name, was '" + host + "'");
        int port = check.range("port", config.port(), 1, 65535);
        String video = check.matching("video", config.video(), SOURCE, "a source id");
        check.require(!video.isEmpty(), "video", "a video source id is required");
        String audio = check.matching("audio", config.audio(), SOURCE, "a source id");
        int audioPort = config.audio_port() == 0 ? port + 2 : config.audio_port();
        check.range("audio.port", audioPort, 1, 65535);
        check.require(audio.isEmpty() || audioPort != port, "audio.port", "must differ from port " + port);
        int mtu = check.range("mtu", config.mtu(), 200, 9000);
        int payload = check.range("payload", config.payload(), 96, 127);
        int audioPayload = check.range("audio.payload", config.audio_payload(), 96, 127);
        return new RtpSettings(SettingsCheck.instanceName(properties), host, port, video, audio, audioPort, mtu,
                payload, audioPayload, check.problem());
    }
}
