package io.pistream.gstreamer;

/**
 * The GStreamer library, initialised once for the life of the JVM. Components that build pipelines reference
 * this service so that they only start once GStreamer is ready.
 */
public interface GStreamerRuntime {

    /** The version of the native library, for example {@code 1.22.0}. */
    String version();

    /** Whether an element factory of that name is installed. */
    boolean hasElement(String factoryName);
}
