package io.pistream.gstreamer;

import io.pistream.gstreamer.internal.GstInit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The GStreamer library, initialised once for the life of the JVM. Components that build pipelines reference
 * this service so that they only start once GStreamer is ready.
 */
@ProviderType
public interface GStreamerRuntime {

    /**
     * Initialises GStreamer in this JVM as the platform does (once, version 1.22 or newer, without GStreamer's
     * SIGSEGV trap, which mistakes the JVM's own signals for plugin crashes) and returns its version. For code
     * that runs outside the platform, such as a bundle's own tests; inside it, reference this service instead.
     */
    static String initialise() {
        return GstInit.ensure();
    }

    /** The version of the native library, for example {@code 1.22.0}. */
    String version();

    /** Whether an element factory of that name is installed. */
    boolean hasElement(String factoryName);
}
