package io.pistream.gstreamer.internal;

import java.util.List;

import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.Tier;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Element;

/**
 * The part of an encoder branch that makes its tier: nothing but the encoder for the top (exactly the branch as
 * before tiers existed), {@code videoscale ! capsfilter(width,height) ! encoder(tier's bitrate)} for the others.
 * The hub asks the encoder for the bitrate and never sets an encoder's own properties.
 */
final class TierScaler {

    private TierScaler() {
    }

    static List<Element> elements(Tier tier, Encoder encoder, String rawCaps) throws MediaException {
        if (tier.isTop()) {
            return List.of(encoder.createElement(rawCaps));
        }
        String size = "width=" + tier.width() + ",height=" + tier.height();
        return List.of(Elements.make("videoscale", null), Elements.capsFilter(null, "video/x-raw," + size),
                encoder.createElement(scaledCaps(rawCaps, tier), tier.bitrateKbps()));
    }

    /** The source's raw caps at the tier's size: what the tier's encoder is given. */
    static String scaledCaps(String rawCaps, Tier tier) {
        String caps = rawCaps == null || rawCaps.isBlank() ? "video/x-raw" : rawCaps;
        caps = caps.replaceAll(",\\s*(width|height)=(\\(int\\))?\\d+", "");
        return caps + ",width=" + tier.width() + ",height=" + tier.height();
    }
}
