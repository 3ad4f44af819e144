package io.pistream.gstreamer.internal;

import io.pistream.gstreamer.jna.LibGst;

import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Initialises GStreamer exactly once per JVM. GStreamer cannot be initialised again after {@code Gst.deinit()},
 * so it is never de-initialised; restarting this bundle reuses the running library.
 */
public final class GstInit {

    /** Without an explicit version gst1-java-core assumes GStreamer 1.8 and refuses newer APIs (promises, WebRTC). */
    static final Version REQUIRED = Version.of(1, 22);

    private static final Logger LOG = LoggerFactory.getLogger(GstInit.class);

    private GstInit() {
    }

    /** Initialises GStreamer if needed and returns the native library's version, e.g. {@code 1.22.0}. */
    public static synchronized String ensure() {
        long start = System.nanoTime();
        if (!Gst.isInitialized()) {
            try {
                // The JVM uses SIGSEGV on purpose (safepoints, implicit null checks). With GStreamer's trap on, such
                // a signal on any thread while a plugin loads is taken for a crash of that plugin and ends the
                // process ("Caught a segmentation fault while loading plugin file").
                LibGst.gst_segtrap_set_enabled(false);
                Gst.init(REQUIRED, "pistream");
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                throw new IllegalStateException("Cannot initialise GStreamer " + REQUIRED.getMajor() + "."
                        + REQUIRED.getMinor() + " or newer: " + e.getMessage()
                        + ". Install the Debian packages listed in README.md.", e);
            }
        }
        Version running = Gst.getVersion();
        String version = running.getMajor() + "." + running.getMinor() + "." + running.getMicro();
        LOG.info("GStreamer {} ready ({} ms)", version, (System.nanoTime() - start) / 1_000_000);
        return version;
    }
}
