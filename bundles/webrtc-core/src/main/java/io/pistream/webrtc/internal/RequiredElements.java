package io.pistream.webrtc.internal;

import java.util.ArrayList;
import java.util.List;

import io.pistream.gstreamer.GStreamerRuntime;

/** Checks that the GStreamer elements a component needs are installed. */
public final class RequiredElements {

    private RequiredElements() {
    }

    /** Null when all exist, else a message naming the missing ones and the Debian packages. */
    public static String missing(GStreamerRuntime runtime, String... factories) {
        List<String> missing = new ArrayList<>();
        for (String factory : factories) {
            if (!runtime.hasElement(factory)) {
                missing.add(factory);
            }
        }
        return missing.isEmpty() ? null : "GStreamer elements missing: " + String.join(", ", missing)
                + " (Debian packages gstreamer1.0-plugins-bad, gstreamer1.0-nice, gstreamer1.0-plugins-good)";
    }
}
