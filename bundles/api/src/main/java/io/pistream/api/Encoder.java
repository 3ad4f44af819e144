package io.pistream.api;

import org.freedesktop.gstreamer.Element;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * An encoder for one codec, registered as an OSGi service. The hub uses the available encoder with the highest
 * {@code service.ranking} for a codec, so a hardware encoder bundle replaces the software one by being installed.
 */
@ConsumerType
public interface Encoder {

    /** Service property holding {@link #codec()}. */
    String CODEC = "pistream.codec";

    /** The codec produced, one of the constants of {@link Codecs}. */
    String codec();

    MediaKind kind();

    /** Human readable description, for example {@code x264enc (software)}. */
    String description();

    /** Whether the GStreamer elements this encoder needs exist on this machine. */
    boolean isAvailable();

    /**
     * Builds a new element (usually a bin with ghost pads {@code sink} and {@code src}) that takes raw media of
     * the given caps and produces the encoded stream, parsed and aligned so that one buffer is one access unit.
     */
    Element createElement(String rawCaps) throws MediaException;
}
