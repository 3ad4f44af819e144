package io.pistream.webrtc.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pistream.gstreamer.SettingsCheck;
import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.SessionSettings;

/** A checked producer configuration. {@code problem} names every refused key, or is null. */
public record ProducerSettings(String name, URI signallingUrl, Path trustCa, ProducerSession.Plan plan,
        SessionSettings sessionSettings, int maxSessions, String problem) {

    static final String PID = "io.pistream.webrtc";
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._-]{1,64}");

    static ProducerSettings from(ProducerConfig config) {
        SettingsCheck check = new SettingsCheck(PID);
        URI url = Checks.signallingUrl(check, "signalling.url", config.signalling_url());
        Path trust = Checks.trustFile(check, "trust.ca", config.trust_ca());
        String name = check.matching("name", config.name(), NAME, "1 to 64 letters, digits, spaces, '.', '_', '-'");
        check.require(!name.isEmpty(), "name", "is required");
        String video = check.matching("video", config.video(), Checks.SOURCE, "a source id");
        String audio = check.matching("audio", config.audio(), Checks.SOURCE, "a source id");
        check.require(!video.isEmpty() || !audio.isEmpty(), "video", "video and audio are both empty: nothing to send");
        List<RtpCodec> codecs = new ArrayList<>();
        for (String codec : Checks.list(check.text("codecs", config.codecs()))) {
            RtpCodec rtp = RtpCodec.forCodec(codec.toUpperCase(Locale.ROOT)).filter(RtpCodec::isVideo).orElse(null);
            if (rtp == null) {
                check.require(false, "codecs", "unknown video codec '" + codec + "' (known: VP8, H264)");
            } else if (!codecs.contains(rtp)) {
                codecs.add(rtp);
            }
        }
        check.require(video.isEmpty() || !codecs.isEmpty(), "codecs", "at least one video codec is needed");
        String stun = Checks.stun(check, "stun.server", config.stun_server());
        List<String> turn = Checks.turn(check, "turn.server", config.turn_server());
        int maxSessions = check.range("max.sessions", config.max_sessions(), 1, 64);
        List<String> localIps = Checks.localIps(check, "local.ips", config.local_ips());
        int timeout = check.range("connect.timeout.seconds", config.connect_timeout_seconds(), 5, 300);
        SessionSettings session = new SessionSettings(localIps, stun, turn, timeout * 1000L, 10_000, 10_000);
        return new ProducerSettings(name, url, trust, new ProducerSession.Plan(video, codecs, audio), session,
                maxSessions, check.problem());
    }

    /** For code outside OSGi (tests, benchmarks). */
    public static ProducerSettings of(String name, URI signallingUrl, ProducerSession.Plan plan,
            SessionSettings sessionSettings, int maxSessions) {
        return new ProducerSettings(name, signallingUrl, null, plan, sessionSettings, maxSessions, null);
    }

    /** What viewers see in {@code list}: the name, and what this producer offers. */
    public ObjectNode meta() {
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("name", name);
        meta.put("device", "pistream");
        meta.put("instance", Instance.ID);
        if (plan.hasVideo()) {
            meta.put("video", plan.videoSource());
            ArrayNode codecs = meta.putArray("video-codecs");
            plan.videoCodecs().forEach(codec -> codecs.add(codec.encodingName()));
        }
        if (plan.hasAudio()) {
            meta.put("audio", plan.audioSource());
            meta.putArray("audio-codecs").add("OPUS");
        }
        return meta;
    }
}
