package io.pistream.camera.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.pistream.api.MediaSource;
import io.pistream.gstreamer.ConfiguredSource;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.SettingsCheck;

/** A camera configuration, checked. {@code problem} is null when every key is valid. */
record CameraSettings(String id, String name, String type, String cameraName, String device, String pattern,
        Path file, boolean loop, int width, int height, int framerate, String problem)
        implements ConfiguredSource.Settings {

    static final String PID = "io.pistream.camera";
    static final Set<String> TYPES = Set.of("auto", "libcamera", "v4l2", "test", "file", "image");
    static final Set<String> PATTERNS = Set.of("smpte", "snow", "black", "white", "red", "green", "blue",
            "checkers-1", "checkers-2", "checkers-4", "checkers-8", "circular", "blink", "smpte75", "zone-plate",
            "gamut", "chroma-zone-plate", "solid-color", "ball", "smpte100", "bar", "pinwheel", "spokes", "gradient",
            "colors", "smpte-rp-219");
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CAMERA_NAME = Pattern.compile("[A-Za-z0-9/@._:,+-]{1,256}");
    private static final Pattern DEVICE = Pattern.compile("/dev/[A-Za-z0-9_./-]{1,64}");

    static CameraSettings from(CameraConfig config, Map<String, ?> properties) {
        SettingsCheck check = new SettingsCheck(PID);
        String id = check.matching("id", config.id().isBlank() ? SettingsCheck.instanceName(properties) : config.id(),
                ID, "1 to 64 letters, digits, '-' or '_'");
        String type = check.oneOf("type", config.type(), TYPES);
        String cameraName = check.matching("camera-name", config.camera$_$name(), CAMERA_NAME,
                "a libcamera camera id as listed by pistream:devices");
        String device = check.matching("device", config.device(), DEVICE, "a device path such as /dev/video0");
        String pattern = type.equals("test") ? check.oneOf("pattern", config.pattern(), PATTERNS)
                : check.text("pattern", config.pattern());
        Path file = null;
        String uri = check.text("uri", config.uri());
        if (type.equals("file") || type.equals("image")) {
            file = filePath(check, uri);
        }
        int width = check.range("width", config.width(), 16, 4096);
        int height = check.range("height", config.height(), 16, 4096);
        int framerate = check.range("framerate", config.framerate(), 1, 120);
        String name = check.text("name", config.name());
        if (name.isEmpty()) {
            name = id + " (" + type + ")";
        }
        return new CameraSettings(id, name, type, cameraName, device, pattern, file, config.loop(), width, height,
                framerate, check.problem());
    }

    private static Path filePath(SettingsCheck check, String uri) {
        if (uri.isEmpty()) {
            check.require(false, "uri", "a file is required for this type");
            return null;
        }
        String path = uri.startsWith("file://") ? uri.substring("file://".length()) : uri;
        check.require(path.startsWith("/"), "uri", "must be an absolute path or a file:// URI, was '" + uri + "'");
        Path file = Path.of(path);
        check.require(Files.isRegularFile(file) && Files.isReadable(file), "uri",
                "file " + path + " does not exist or cannot be read");
        return file;
    }

    @Override
    public MediaSource.AtEnd atEnd() {
        return ConfiguredSource.Settings.endOf(type.equals("file"), loop);
    }

    /** The raw caps every camera type produces. */
    String rawCaps() {
        return Elements.rawVideoCaps(width, height, framerate);
    }
}
