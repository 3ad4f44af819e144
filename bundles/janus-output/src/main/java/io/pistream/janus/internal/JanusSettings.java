package io.pistream.janus.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.regex.Pattern;

import io.pistream.api.net.HostNames;
import io.pistream.gstreamer.SettingsCheck;

/** A checked Janus output configuration. */
record JanusSettings(String name, URI url, long id, String description, String video, String audio, String adminKey,
        String secret, String pin, String apiSecret, String rtpHost, int keepaliveSeconds, int timeoutSeconds,
        int mtu, int payload, String videoFmtp, int audioPayload, String problem) {

    static final String PID = "io.pistream.janus";
    private static final Pattern FMTP = Pattern.compile("[A-Za-z0-9=;,.+/_-]{1,256}");
    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** Janus keeps ids in JSON numbers: stay where a double is still exact. */
    private static final long MAX_ID = (1L << 53) - 1;

    static JanusSettings from(JanusConfig config, Map<String, ?> properties) {
        SettingsCheck check = new SettingsCheck(PID);
        String name = SettingsCheck.instanceName(properties);
        String text = check.text("url", config.url());
        URI url = null;
        if (text.isEmpty()) {
            check.require(false, "url", "the Janus HTTP API URL is required, e.g. http://janus.example:8088/janus");
        } else {
            try {
                URI parsed = new URI(text);
                String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase();
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    check.require(false, "url", "must be an http:// or https:// URL, was '" + text + "'");
                } else if (parsed.getHost() == null || parsed.getUserInfo() != null || parsed.getQuery() != null
                        || parsed.getFragment() != null) {
                    check.require(false, "url", "must be http(s)://host[:port]/path without user, query or fragment,"
                            + " was '" + text + "'");
                } else if (!HostNames.isHost(parsed.getHost().replaceAll("^\\[|\\]$", ""))) {
                    check.require(false, "url", "has no valid host name, was '" + text + "'");
                } else {
                    url = parsed;
                }
            } catch (URISyntaxException e) {
                check.require(false, "url", "is not a URL (" + e.getReason() + "), was '" + text + "'");
            }
        }
        long id = config.id();
        check.require(id > 0 && id <= MAX_ID, "id", "must be a positive integer (the mountpoint id), was " + id);
        String description = config.description() == null ? "" : config.description().trim();
        check.require(description.length() <= 128, "description", "must be at most 128 characters");
        check.require(description.chars().noneMatch(Character::isISOControl), "description",
                "must not contain control characters");
        if (description.isEmpty()) {
            description = "pistream " + name;
        }
        String video = check.matching("video", config.video(), SOURCE, "a source id");
        check.require(!video.isEmpty(), "video", "a video source id is required");
        String audio = check.matching("audio", config.audio(), SOURCE, "a source id");
        String rtpHost = check.text("rtp.host", config.rtp_host());
        check.require(rtpHost.isEmpty() || HostNames.isHost(rtpHost), "rtp.host",
                "must be an IP address or a host name, was '" + rtpHost + "'");
        if (rtpHost.isEmpty() && url != null) {
            rtpHost = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                    : url.getHost();
        }
        int keepalive = check.range("keepalive", config.keepalive(), 1, 55);
        int timeout = check.range("timeout", config.timeout(), 1, 60);
        int mtu = check.range("mtu", config.mtu(), 200, 9000);
        int payload = check.range("payload", config.payload(), 96, 127);
        String fmtp = check.matching("video.fmtp", config.video_fmtp(), FMTP,
                "parameters like profile-level-id=42e01f;packetization-mode=1");
        check.require(!fmtp.isEmpty(), "video.fmtp", "is required, e.g. profile-level-id=42e01f;packetization-mode=1");
        int audioPayload = check.range("audio.payload", config.audio_payload(), 96, 127);
        check.require(audio.isEmpty() || payload != audioPayload, "audio.payload",
                "must differ from the video payload " + payload);
        return new JanusSettings(name, url, id, description, video, audio, orEmpty(config.admin_key()),
                orEmpty(config.secret()), orEmpty(config.pin()), orEmpty(config.api_secret()), rtpHost, keepalive,
                timeout, mtu, payload, fmtp, audioPayload, check.problem());
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    /** For logs and status: the URL without anything secret (it has none: user info is refused). */
    String urlText() {
        return url == null ? "" : url.toString();
    }
}
