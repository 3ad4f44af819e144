package io.pistream.webrtc.receiver.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pistream.gstreamer.SettingsCheck;
import io.pistream.webrtc.internal.Checks;
import io.pistream.webrtc.internal.Instance;
import io.pistream.webrtc.internal.SignallingAccess;
import io.pistream.webrtc.internal.session.SessionSettings;

/**
 * A checked receiver configuration. {@code problem} names every refused key, or is null.
 *
 * @param signallingToken the bearer token for a signalling server other than the device's own, empty for none
 */
public record ReceiverSettings(String name, URI signallingUrl, Path trustCa, String signallingToken,
        String matchField, Pattern matchValue, ReceiverSession.Output output, String compositeSource, int maxSessions,
        SessionSettings sessionSettings, String problem) {

    static final String PID = "io.pistream.webrtc.receiver";
    static final Set<String> AUDIO_SINKS = Set.of("autoaudiosink", "alsasink", "pulsesink", "fakesink");
    private static final Set<String> MODES = Set.of("discard", "record", "composite");
    private static final Set<String> FORMATS = Set.of("mkv", "mp4");
    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N} ._-]{1,64}");
    private static final Pattern MATCH = Pattern.compile("([A-Za-z0-9_.-]{1,64})=([^=]{1,128})");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.,:=-]{1,128}");

    static ReceiverSettings from(ReceiverConfig config) {
        SettingsCheck check = new SettingsCheck(PID);
        URI url = Checks.signallingUrl(check, "signalling.url", config.signalling_url());
        Path trust = Checks.trustFile(check, "trust.ca", config.trust_ca());
        String token = SignallingAccess.token(check, "signalling.token", config.signalling_token());
        String name = check.matching("name", config.name(), NAME, "1 to 64 letters, digits, spaces, '.', '_', '-'");
        check.require(!name.isEmpty(), "name", "is required");
        // compared with JSON values only, never part of a pipeline: "name=..." is a normal value here
        String match = config.match() == null ? "" : config.match().trim();
        String field = null;
        Pattern value = null;
        if (!match.isEmpty()) {
            var matcher = MATCH.matcher(match);
            if (matcher.matches()) {
                field = matcher.group(1);
                value = glob(matcher.group(2).trim());
            } else {
                check.require(false, "match", "must be field=pattern (e.g. name=WebClient-*), was '" + match + "'");
            }
        }
        String mode = check.oneOf("mode", config.mode().trim().toLowerCase(Locale.ROOT), MODES);
        String format = check.oneOf("record.format", config.record_format().trim().toLowerCase(Locale.ROOT), FORMATS);
        Path directory = recordDirectory(check, config.record_directory());
        int segment = check.range("record.segment.seconds", config.record_segment_seconds(), 0, 86400);
        String sink = check.oneOf("audio.sink", config.audio_sink().trim(), AUDIO_SINKS);
        String device = check.matching("audio.device", config.audio_device(), DEVICE, "a device name");
        check.require(device.isEmpty() || sink.equals("alsasink") || sink.equals("pulsesink"), "audio.device",
                "only alsasink and pulsesink take a device");
        String composite = check.matching("composite.source", config.composite_source(), Checks.SOURCE, "a source id");
        check.require(!mode.equals("composite") || !composite.isEmpty(), "composite.source",
                "is required with mode=composite");
        int maxSessions = check.range("max.sessions", config.max_sessions(), 1, 8);
        String stun = Checks.stun(check, "stun.server", config.stun_server());
        List<String> turn = Checks.turn(check, "turn.server", config.turn_server());
        List<String> localIps = Checks.localIps(check, "local.ips", config.local_ips());
        int timeout = check.range("connect.timeout.seconds", config.connect_timeout_seconds(), 5, 300);
        ReceiverSession.Output output = new ReceiverSession.Output(
                ReceiverSession.VideoMode.valueOf(mode.isEmpty() || !MODES.contains(mode) ? "DISCARD"
                        : mode.toUpperCase(Locale.ROOT)),
                directory, format.equals("mp4") ? "mp4" : "mkv", segment, AUDIO_SINKS.contains(sink) ? sink
                        : "autoaudiosink", device);
        return new ReceiverSettings(name, url, trust, token, field, value, output, composite, maxSessions,
                new SessionSettings(localIps, stun, turn, timeout * 1000L, 10_000, 10_000), check.problem());
    }

    /** For code outside OSGi (tests). {@code match} is {@code field=pattern} or null. */
    public static ReceiverSettings of(String name, URI signallingUrl, String match, ReceiverSession.Output output,
            int maxSessions, SessionSettings sessionSettings) {
        String field = null;
        Pattern value = null;
        if (match != null) {
            var matcher = MATCH.matcher(match);
            if (!matcher.matches()) {
                throw new IllegalArgumentException(match);
            }
            field = matcher.group(1);
            value = glob(matcher.group(2));
        }
        return new ReceiverSettings(name, signallingUrl, null, "", field, value, output, "camera", maxSessions,
                sessionSettings, null);
    }

    /** Without the token, a secret. */
    /** Equal when every value is: the match pattern by its text (a {@link Pattern} has no equality of its own). */
    @Override
    public boolean equals(Object other) {
        return other instanceof ReceiverSettings settings && values().equals(settings.values());
    }

    @Override
    public int hashCode() {
        return values().hashCode();
    }

    private List<Object> values() {
        return java.util.Arrays.asList(name, signallingUrl, trustCa, signallingToken, matchField,
                matchValue == null ? null : matchValue.pattern(), output, compositeSource, maxSessions,
                sessionSettings, problem);
    }

    @Override
    public String toString() {
        return "ReceiverSettings[name=" + name + ", signallingUrl=" + signallingUrl + ", trustCa=" + trustCa
                + ", signallingToken=" + (signallingToken.isEmpty() ? "none" : "***") + ", match=" + matchField + "="
                + matchValue + ", output=" + output + ", compositeSource=" + compositeSource + ", maxSessions="
                + maxSessions + ", sessionSettings=" + sessionSettings + ", problem=" + problem + "]";
    }

    private static Path recordDirectory(SettingsCheck check, String value) {
        String text = value == null ? "" : value.trim();
        if (text.contains("${karaf.data}")) {
            text = text.replace("${karaf.data}", System.getProperty("karaf.data", "data"));
        }
        check.require(!text.isEmpty() && !text.contains("${"), "record.directory",
                "must be a directory path, was '" + text + "'");
        return Path.of(text.isEmpty() ? "." : text);
    }

    /** A glob with {@code *} (anything) and {@code ?} (one character), case-sensitive. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /** Whether a producer with this meta is to be received on its own. */
    boolean matches(JsonNode meta) {
        if (matchField == null || meta == null || !meta.isObject()) {
            return false;
        }
        JsonNode value = meta.get(matchField);
        return value != null && value.isValueNode() && matchValue.matcher(value.asText()).matches();
    }

    ObjectNode meta() {
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("name", name);
        meta.put("device", "pistream");
        meta.put("instance", Instance.ID);
        meta.put("role", "receiver");
        return meta;
    }
}
