package io.pistream.gstreamer;

import java.util.ArrayList;
import java.util.List;

import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.device.Device;
import org.freedesktop.gstreamer.device.DeviceMonitor;

/** Cameras and microphones found by GStreamer's device monitor (libcamera, V4L2, ALSA, PulseAudio providers). */
public final class DeviceScan {

    /** Device class of cameras. */
    public static final String VIDEO_SOURCE = "Video/Source";
    /** Device class of microphones. */
    public static final String AUDIO_SOURCE = "Audio/Source";

    /**
     * A device as users see it.
     *
     * @param name        the name to put in a configuration (libcamera's camera id, or the display name)
     * @param deviceClass GStreamer's class, e.g. {@code Source/Video}
     * @param element     the element that opens it, e.g. {@code libcamerasrc}
     * @param modes       the caps it offers, one structure per entry
     */
    public record DeviceInfo(String name, String deviceClass, String element, List<String> modes, Device device) {
    }

    private DeviceScan() {
    }

    /** Probes the devices of one class; an empty list on a machine without any. */
    public static List<DeviceInfo> find(String deviceClass) {
        DeviceMonitor monitor = new DeviceMonitor();
        monitor.addFilter(deviceClass, null);
        List<DeviceInfo> found = new ArrayList<>();
        if (!monitor.start()) {
            return found;
        }
        try {
            for (Device device : monitor.getDevices()) {
                String element = "?";
                try {
                    element = device.createElement(null).getFactory().getName();
                } catch (RuntimeException e) {
                    // listed anyway: the user may still want to see it
                }
                found.add(new DeviceInfo(device.getDisplayName(), device.getDeviceClass(), element,
                        modes(device.getCaps()), device));
            }
        } finally {
            monitor.stop();
        }
        return found;
    }

    private static List<String> modes(Caps caps) {
        List<String> modes = new ArrayList<>();
        if (caps != null) {
            for (int i = 0; i < caps.size(); i++) {
                modes.add(caps.getStructure(i).toString());
            }
        }
        return modes;
    }
}
