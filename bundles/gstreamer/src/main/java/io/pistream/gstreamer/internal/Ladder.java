package io.pistream.gstreamer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.api.Tier;

/**
 * The tiers a video source is offered at below its top: {@code video.tiers = 640x360@600, 320x180@150}, width x
 * height @ kbit/s, each smaller than the one before. The top (tier 0) is implicit: the source as captured, at the
 * encoder's own settings.
 */
record Ladder(List<Tier> lower) {

    // before DEFAULT, which is parsed with them
    private static final Pattern RUNG = Pattern.compile("(\\d{1,5})\\s*x\\s*(\\d{1,5})\\s*@\\s*(\\d{1,6})");
    private static final Pattern SIZE = Pattern.compile("\\b(width|height)=(?:\\(int\\))?(\\d+)");

    static final String KEY = "video.tiers";
    static final String DEFAULT_TEXT = "640x360@600, 320x180@150";
    static final Ladder DEFAULT = parse(DEFAULT_TEXT);
    /** Each tier is an encoder running while subscribed: a handful at most on a small machine. */
    static final int MAX_TIERS = 4;

    Ladder {
        lower = List.copyOf(lower);
    }

    /**
     * Parses the hub's configured text; empty means no tier below the top.
     *
     * @throws IllegalArgumentException naming the key, the value and what is wrong with it
     */
    static Ladder parse(String text) {
        return parse(text, "io.pistream.hub configuration");
    }

    /** Parses a ladder configured in {@code where}, for example a source's configuration. */
    static Ladder parse(String text, String where) {
        String value = text == null ? "" : text.trim();
        List<Tier> tiers = new ArrayList<>();
        if (value.isEmpty()) {
            return new Ladder(tiers);
        }
        for (String part : value.split(",")) {
            Matcher rung = RUNG.matcher(part.trim().toLowerCase(Locale.ROOT));
            if (!rung.matches()) {
                throw invalid(where, value,
                        "'" + part.trim() + "' is not WIDTHxHEIGHT@KBITS, for example 640x360@600");
            }
            int width = Integer.parseInt(rung.group(1));
            int height = Integer.parseInt(rung.group(2));
            int kbps = Integer.parseInt(rung.group(3));
            if (width < 16 || height < 16 || width > 7680 || height > 4320 || width % 2 != 0 || height % 2 != 0) {
                throw invalid(where, value,
                        width + "x" + height + " must be even sizes between 16x16 and 7680x4320");
            }
            if (kbps < 10 || kbps > 100_000) {
                throw invalid(where, value, kbps + " kbit/s must be between 10 and 100000");
            }
            if (!tiers.isEmpty()) {
                Tier above = tiers.get(tiers.size() - 1);
                if (width * height >= above.width() * above.height() || kbps >= above.bitrateKbps()) {
                    throw invalid(where, value, width + "x" + height + "@" + kbps
                            + " must be smaller and at a lower bitrate than the tier above it");
                }
            }
            tiers.add(new Tier(tiers.size() + 1, width, height, kbps));
        }
        if (tiers.size() > MAX_TIERS) {
            throw invalid(where, value, "at most " + MAX_TIERS + " tiers below the top, got " + tiers.size());
        }
        return new Ladder(tiers);
    }

    private static IllegalArgumentException invalid(String where, String value, String reason) {
        return new IllegalArgumentException("Invalid " + where + ": " + KEY + " = '" + value + "': " + reason);
    }

    /**
     * The tiers of a source, top first: audio has only its top, whose size a video source's caps may name. A tier
     * larger than a source of known size would only upscale it: that source is not offered it, and the tiers below
     * move up.
     */
    List<Tier> tiersOf(MediaSource source) {
        if (source.kind() != MediaKind.VIDEO) {
            return List.of(Tier.TOP);
        }
        int width = size(source.rawCaps(), "width");
        int height = size(source.rawCaps(), "height");
        List<Tier> all = new ArrayList<>();
        all.add(new Tier(0, width, height, 0));
        for (Tier tier : lower) {
            if (width == 0 || height == 0 || tier.width() < width && tier.height() <= height
                    || tier.width() <= width && tier.height() < height) {
                all.add(new Tier(all.size(), tier.width(), tier.height(), tier.bitrateKbps()));
            }
        }
        return all;
    }

    /** A width or height named in caps text, 0 when it names none. */
    static int size(String caps, String field) {
        if (caps == null) {
            return 0;
        }
        Matcher matcher = SIZE.matcher(caps);
        while (matcher.find()) {
            if (matcher.group(1).equals(field)) {
                return Integer.parseInt(matcher.group(2));
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return lower.isEmpty() ? "top only" : lower.toString();
    }
}
