package io.pistream.rtsp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.pistream.api.Codecs;

/**
 * A validated mount. Hub mounts ({@code launch == null}) are built from a fixed template: no configuration value
 * ever becomes part of a pipeline description. Only {@code launch}, trusted admin configuration, is parsed.
 *
 * @param name       the configuration's PID, for logs and the shell
 * @param path       the path, for example {@code /camera}
 * @param video      video source id (hub mount)
 * @param audio      audio source id or null (hub mount)
 * @param audioCodec {@link Codecs#OPUS} or {@link #AAC}
 * @param launch     the launch line of a launch mount, else null
 * @param shared     whether clients share one media
 */
public record MountSpec(String name, String path, String video, String audio, String audioCodec, String launch,
        boolean shared) {

    /** Codec name of AAC (not yet among {@link Codecs}). */
    public static final String AAC = "AAC";

    static final Pattern PATH = Pattern.compile("^/[A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*$");
    static final Pattern SOURCE_ID = Pattern.compile("^[A-Za-z0-9_-]+$");
    private static final Pattern PAYLOADER_0 = Pattern.compile("\\bname\\s*=\\s*\"?pay0\\b");
    private static final int MAX_LAUNCH_LENGTH = 8192;

    /** A hub mount. */
    public static MountSpec hub(String name, String path, String video, String audio, String audioCodec,
            boolean shared) {
        return validate(name, path, video, audio, audioCodec, null, shared);
    }

    /** A launch mount. */
    public static MountSpec launch(String name, String path, String launch, boolean shared) {
        return validate(name, path, null, null, null, launch, shared);
    }

    /** Validates a configuration; the exception names every bad key and why. */
    public static MountSpec from(String name, MountConfig config) {
        return validate(name, config.path(), config.video(), config.audio(), config.audio_codec(), config.launch(),
                config.shared());
    }

    private static MountSpec validate(String name, String path, String video, String audio, String audioCodec,
            String launch, boolean shared) {
        List<String> problems = new ArrayList<>();
        String cleanPath = blankToNull(path);
        if (cleanPath == null) {
            problems.add("path: is required, for example path=/camera");
        } else if (!PATH.matcher(cleanPath).matches() || cleanPath.contains("/../") || cleanPath.endsWith("/..")
                || cleanPath.contains("/./") || cleanPath.endsWith("/.")) {
            problems.add("path: must be /-separated segments of letters, digits and . _ ~ - (no . or .. segment), "
                    + "was '" + ServerSettings.shorten(cleanPath) + "'");
        }
        String cleanVideo = blankToNull(video);
        String cleanAudio = blankToNull(audio);
        String cleanLaunch = blankToNull(launch);
        String codec = null;
        if (cleanLaunch != null) {
            if (cleanVideo != null || cleanAudio != null) {
                problems.add("launch: cannot be combined with video or audio; a mount is either fed from the hub or "
                        + "defined by its launch line");
            }
            if (cleanLaunch.length() > MAX_LAUNCH_LENGTH) {
                problems.add("launch: longer than " + MAX_LAUNCH_LENGTH + " characters");
            } else if (!PAYLOADER_0.matcher(cleanLaunch).find()) {
                problems.add("launch: needs a payloader named pay0, for example "
                        + "( videotestsrc ! x264enc ! rtph264pay name=pay0 )");
            }
            if (!cleanLaunch.startsWith("(")) {
                cleanLaunch = "( " + cleanLaunch + " )";
            }
        } else {
            if (cleanVideo == null) {
                problems.add("video: a video source id (or, for an admin pipeline, launch) is required");
            } else if (!SOURCE_ID.matcher(cleanVideo).matches()) {
                problems.add("video: a source id is letters, digits, _ and -, was '"
                        + ServerSettings.shorten(cleanVideo) + "'");
            }
            if (cleanAudio != null && !SOURCE_ID.matcher(cleanAudio).matches()) {
                problems.add("audio: a source id is letters, digits, _ and -, was '"
                        + ServerSettings.shorten(cleanAudio) + "'");
            }
            String codecText = blankToNull(audioCodec) == null ? "opus" : audioCodec.trim().toLowerCase(Locale.ROOT);
            codec = switch (codecText) {
                case "opus" -> Codecs.OPUS;
                case "aac" -> AAC;
                default -> {
                    problems.add("audio.codec: must be opus or aac, was '" + ServerSettings.shorten(codecText) + "'");
                    yield null;
                }
            };
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid RTSP mount " + name + ": " + String.join("; ", problems));
        }
        return new MountSpec(name, cleanPath, cleanVideo, cleanAudio, cleanAudio == null ? null : codec, cleanLaunch,
                shared);
    }

    public boolean isLaunch() {
        return launch != null;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
