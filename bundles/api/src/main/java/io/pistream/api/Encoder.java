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
     * the given caps and produces the encoded stream, parsed and aligned so that one buffer is one access unit,
     * with the stream's parameter sets (H.264's SPS and PPS) before every key frame: consumers join at a key frame
     * and do not parse the stream again.
     */
    Element createElement(String rawCaps) throws MediaException;

    /**
     * Like {@link #createElement(String)}, but encoding at {@code bitrateKbps} instead of the configured bitrate:
     * the hub uses it for the lower tiers of a quality ladder, so that it never sets an encoder's own properties.
     * An encoder without a bitrate setting keeps this default, which ignores the bitrate.
     *
     * @param bitrateKbps the target bitrate in kbit/s, above 0
     */
    default Element createElement(String rawCaps, int bitrateKbps) throws MediaException {
        return createElement(rawCaps);
    }
}
