package io.pistream.api;

/**
 * One rung of a video source's quality ladder: the source scaled to a size and encoded at a bitrate. Tier 0 is the
 * top, the source as captured at the encoder's own settings; every other tier is encoded once per codec and shared
 * by all its subscribers, like the top.
 *
 * @param index       0 for the top, then 1, 2, ... going down
 * @param width       width in pixels, or 0 when not known (the top of a source whose caps name no size)
 * @param height      height in pixels, or 0 when not known
 * @param bitrateKbps the target bitrate in kbit/s, or 0 for the top: the encoder's configured bitrate
 */
public record Tier(int index, int width, int height, int bitrateKbps) {

    /** The top tier when the source's size is not known. */
    public static final Tier TOP = new Tier(0, 0, 0, 0);

    public Tier {
        if (index < 0 || width < 0 || height < 0 || bitrateKbps < 0) {
            throw new IllegalArgumentException("Tier values must not be negative: " + index + ", " + width + "x"
                    + height + "@" + bitrateKbps);
        }
    }

    public boolean isTop() {
        return index == 0;
    }

    /** For example {@code 1: 640x360 @ 600 kbit/s} or {@code 0: 1280x720 @ encoder's bitrate}. */
    @Override
    public String toString() {
        String size = width == 0 ? "source size" : width + "x" + height;
        return index + ": " + size + " @ " + (bitrateKbps == 0 ? "encoder's bitrate" : bitrateKbps + " kbit/s");
    }
}
