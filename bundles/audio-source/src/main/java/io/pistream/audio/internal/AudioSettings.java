package io.pistream.audio.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.pistream.api.MediaSource;
import io.pistream.gstreamer.ConfiguredSource;
import io.pistream.gstreamer.SettingsCheck;

/** An audio source configuration, checked. {@code problem} is null when every key is valid. */
record AudioSettings(String id, String name, String type, String device, String wave, int freq, Path file,
        boolean loop, String text, String voice, int rate, int channels, String problem)
        implements ConfiguredSource.Settings {

    static final String PID = "io.pistream.audio";
    static final Set<String> TYPES = Set.of("auto", "alsa", "pulse", "test", "file", "tts");
    static final Set<String> WAVES = Set.of("sine", "square", "saw", "triangle", "silence", "white-noise",
            "pink-noise", "sine-table", "ticks", "gaussian-noise", "red-noise", "blue-noise", "violet-noise");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9_.:,=@/-]{1,128}");
    private static final Pattern VOICE = Pattern.compile("[A-Za-z0-9_+-]{1,32}");

    static AudioSettings from(AudioConfig config, Map<String, ?> properties) {
        SettingsCheck check = new SettingsCheck(PID);
        String id = check.matching("id", config.id().isBlank() ? SettingsCheck.instanceName(properties) : config.id(),
                ID, "1 to 64 letters, digits, '-' or '_'");
        String type = check.oneOf("type", config.type(), TYPES);
        // ALSA names contain '=' (sysdefault:CARD=Device); 'name=' is still refused by the syntax check
        String device = check.matching("device", config.device(), DEVICE, "an ALSA or PulseAudio device name");
        String wave = type.equals("test") ? check.oneOf("wave", config.wave(), WAVES) : check.text("wave", config.wave());
        int freq = check.range("freq", config.freq(), 20, 20000);
        Path file = null;
        String uri = check.text("uri", config.uri());
        if (type.equals("file")) {
            if (uri.isEmpty()) {
                check.require(false, "uri", "a file is required for type file");
            } else {
                String path = uri.startsWith("file://") ? uri.substring("file://".length()) : uri;
                check.require(path.startsWith("/"), "uri", "must be an absolute path or a file:// URI, was '" + uri + "'");
                file = Path.of(path);
                check.require(Files.isRegularFile(file) && Files.isReadable(file), "uri",
                        "file " + path + " does not exist or cannot be read");
            }
        }
        String text = check.text("text", config.text());
        String voice = check.matching("voice", config.voice(), VOICE, "an espeak voice such as en or fr");
        int rate = check.range("rate", config.rate(), 8000, 48000);
        int channels = check.range("channels", config.channels(), 1, 2);
        String name = check.text("name", config.name());
        if (name.isEmpty()) {
            name = id + " (" + type + ")";
        }
        return new AudioSettings(id, name, type, device, wave, freq, file, config.loop(), text, voice, rate, channels,
                check.problem());
    }

    @Override
    public MediaSource.AtEnd atEnd() {
        return ConfiguredSource.Settings.endOf(type.equals("file"), loop);
    }

    String rawCaps() {
        return "audio/x-raw,format=S16LE,layout=interleaved,rate=" + rate + ",channels=" + channels;
    }
}
