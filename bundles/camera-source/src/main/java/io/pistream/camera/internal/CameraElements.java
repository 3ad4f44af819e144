package io.pistream.camera.internal;

import java.util.List;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.DeviceScan;
import io.pistream.gstreamer.DeviceScan.DeviceInfo;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the capture bin of each camera type; every bin ends in the settings' raw caps. */
final class CameraElements {

    private static final Logger LOG = LoggerFactory.getLogger(CameraElements.class);

    private CameraElements() {
    }

    static Bin build(CameraSettings settings) throws MediaException {
        String name = "camera-" + settings.id();
        return switch (settings.type()) {
            case "test" -> testPattern(name, settings);
            case "libcamera" -> libcamera(name, settings, null);
            case "v4l2" -> v4l2(name, settings, null);
            case "file" -> file(name, settings);
            case "image" -> image(name, settings);
            default -> auto(name, settings);
        };
    }

    /** libcamera if a camera is found, else the first V4L2 camera, else the test pattern. */
    private static Bin auto(String name, CameraSettings settings) throws MediaException {
        List<DeviceInfo> cameras = DeviceScan.find(DeviceScan.VIDEO_SOURCE);
        for (DeviceInfo camera : cameras) {
            if (camera.element().equals("libcamerasrc")) {
                LOG.info("{}: using libcamera camera {}", settings.id(), camera.name());
                return libcamera(name, settings, camera);
            }
        }
        for (DeviceInfo camera : cameras) {
            if (camera.element().equals("v4l2src")) {
                LOG.info("{}: using V4L2 camera {}", settings.id(), camera.name());
                return v4l2(name, settings, camera);
            }
        }
        LOG.info("{}: no camera found, using the test pattern", settings.id());
        return testPattern(name, settings);
    }

    static Bin testPattern(String name, CameraSettings settings) throws MediaException {
        Element source = Elements.make("videotestsrc", null);
        source.set("is-live", true);
        source.setAsString("pattern", settings.type().equals("test") ? settings.pattern() : "smpte");
        return Elements.chain(name, source, Elements.capsFilter(null, settings.rawCaps()));
    }

    static Bin libcamera(String name, CameraSettings settings, DeviceInfo found) throws MediaException {
        Element source = found != null ? found.device().createElement(null) : Elements.make("libcamerasrc", null);
        if (found == null && !settings.cameraName().isEmpty()) {
            source.set("camera-name", settings.cameraName());
        }
        return Elements.chain(name, source,
                Elements.capsFilter(null, "video/x-raw,width=" + settings.width() + ",height=" + settings.height()
                        + ",framerate=" + settings.framerate() + "/1"),
                Elements.make("videoconvert", null), Elements.capsFilter(null, settings.rawCaps()));
    }

    static Bin v4l2(String name, CameraSettings settings, DeviceInfo found) throws MediaException {
        Element source = found != null ? found.device().createElement(null) : Elements.make("v4l2src", null);
        if (found == null) {
            source.set("device", settings.device());
        }
        // decodebin passes raw video through and decodes the MJPEG most USB cameras send at high resolutions
        return Elements.decodeChain(name, "video/", new Element[] {source, Elements.make("decodebin", null)},
                scaleTo(settings));
    }

    static Bin file(String name, CameraSettings settings) throws MediaException {
        Element source = Elements.make("filesrc", null);
        source.set("location", settings.file().toString());
        Element[] after = scaleTo(settings);
        Element[] paced = java.util.Arrays.copyOf(after, after.length + 1);
        // a file decodes as fast as it can: pace it to the clock like a camera
        paced[after.length] = Elements.make("clocksync", null);
        return Elements.decodeChain(name, "video/", new Element[] {source, Elements.make("decodebin", null)}, paced);
    }

    static Bin image(String name, CameraSettings settings) throws MediaException {
        Element source = Elements.make("filesrc", null);
        source.set("location", settings.file().toString());
        Element freeze = Elements.make("imagefreeze", null);
        freeze.set("is-live", true);
        Element[] after = scaleTo(settings);
        Element[] chain = new Element[after.length + 1];
        chain[0] = freeze;
        System.arraycopy(after, 0, chain, 1, after.length);
        return Elements.decodeChain(name, "video/", new Element[] {source, Elements.make("decodebin", null)}, chain);
    }

    private static Element[] scaleTo(CameraSettings settings) throws MediaException {
        return new Element[] {Elements.make("videoconvert", null), Elements.make("videoscale", null),
            Elements.make("videorate", null), Elements.capsFilter(null, settings.rawCaps())};
    }
}
