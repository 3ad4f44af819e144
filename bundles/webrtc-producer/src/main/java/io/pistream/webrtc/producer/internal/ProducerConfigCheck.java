package io.pistream.webrtc.producer.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.pistream.gstreamer.SettingsCheck;
import io.pistream.webrtc.internal.Checks;
import io.pistream.webrtc.internal.ProducerSettings;
import io.pistream.webrtc.internal.SignallingAccess;
import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.SessionSettings;

/** Checks {@code etc/io.pistream.webrtc.cfg}: every refused key is named in the settings' {@code problem}. */
final class ProducerConfigCheck {

    static final String PID = "io.pistream.webrtc";
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._-]{1,64}");

    private ProducerConfigCheck() {
    }

    static ProducerSettings settings(ProducerConfig config) {
        SettingsCheck check = new SettingsCheck(PID);
        URI url = Checks.signallingUrl(check, "signalling.url", config.signalling_url());
        Path trust = Checks.trustFile(check, "trust.ca", config.trust_ca());
        String token = SignallingAccess.token(check, "signalling.token", config.signalling_token());
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
        // a bad value is reported (the producer then does not start); the plan still needs one it can hold
        int fec = Math.max(0, Math.min(100, check.range("fec.percentage", config.fec_percentage(), 0, 100)));
        SessionSettings session = new SessionSettings(localIps, stun, turn, timeout * 1000L, 10_000, 10_000);
        return new ProducerSettings(name, url, trust, token, new ProducerSession.Plan(video, codecs, audio, fec,
                config.nack(), config.adaptation()),
                session, maxSessions, check.problem());
    }
}
