package io.pistream.gstreamer.internal;

import java.util.Locale;

import io.pistream.api.Tier;

/**
 * What one encoder branch of a source makes: a codec at a tier of the ladder. The tier's size and bitrate are part
 * of it, so that a tier reconfigured while it runs becomes a branch of its own for new subscribers while the
 * running one keeps its subscribers until they leave.
 */
record Rendition(String codec, Tier tier) {

    static Rendition top(String codec) {
        return new Rendition(codec, Tier.TOP);
    }

    /** {@code H264} for the top, as in the logs before tiers existed; {@code H264@2} for tier 2. */
    @Override
    public String toString() {
        return tier.isTop() ? codec : codec + "@" + tier.index();
    }

    /** The element name of the branch's bin, unique within a source's pipeline. */
    String binName() {
        String name = "enc-" + codec.toLowerCase(Locale.ROOT);
        return tier.isTop() ? name
                : name + "-" + tier.width() + "x" + tier.height() + "-" + tier.bitrateKbps() + "k";
    }
}
