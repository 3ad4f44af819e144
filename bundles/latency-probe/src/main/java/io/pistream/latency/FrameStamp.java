package io.pistream.latency;

import java.util.OptionalLong;

/**
 * A millisecond clock written into a video frame as a band of 40 black or white blocks, so that a receiver can
 * read the capture time back from the decoded picture and subtract it from its own clock.
 * <p>
 * The band spans the whole width, one block high, one block below the top edge; a block is {@code width / 40}
 * pixels square (32 at 1280x720). Columns, left to right: white, black (markers), the 32 low bits of the Unix
 * time in milliseconds (most significant first, white = 1), a 4-bit check (the sum of the eight nibbles, modulo
 * 16), black, white (markers). Geometry is relative to the width, so a receiver that gets a scaled picture (a
 * browser lowering the resolution) still reads it. The markers give the threshold between black and white.
 */
public final class FrameStamp {

    /** Blocks across the frame. */
    public static final int COLUMNS = 40;
    /** Luma of a white block (video range). */
    public static final int WHITE = 235;
    /** Luma of a black block (video range). */
    public static final int BLACK = 16;

    private static final int TIME_BITS = 32;
    private static final int FIRST_TIME_COLUMN = 2;
    private static final int FIRST_CHECK_COLUMN = FIRST_TIME_COLUMN + TIME_BITS;
    private static final long TIME_MASK = 0xFFFF_FFFFL;

    private FrameStamp() {
    }

    /** Reads the brightness (0-255) of one pixel of a decoded picture. */
    @FunctionalInterface
    public interface Brightness {
        int at(int x, int y);
    }

    /** Whether a picture of this size can carry the stamp the way {@link #draw} writes it. */
    public static boolean fits(int width, int height) {
        return width >= 2 * COLUMNS && width % (2 * COLUMNS) == 0 && height % 2 == 0 && height >= 3 * width / COLUMNS;
    }

    /** The luma values of the band's columns for this time: one value per block. */
    public static int[] columns(long unixMillis) {
        long time = unixMillis & TIME_MASK;
        int[] luma = new int[COLUMNS];
        luma[0] = WHITE;
        luma[1] = BLACK;
        for (int bit = 0; bit < TIME_BITS; bit++) {
            boolean one = ((time >>> (TIME_BITS - 1 - bit)) & 1) != 0;
            luma[FIRST_TIME_COLUMN + bit] = one ? WHITE : BLACK;
        }
        int check = check(time);
        for (int bit = 0; bit < 4; bit++) {
            luma[FIRST_CHECK_COLUMN + bit] = ((check >>> (3 - bit)) & 1) != 0 ? WHITE : BLACK;
        }
        luma[COLUMNS - 2] = BLACK;
        luma[COLUMNS - 1] = WHITE;
        return luma;
    }

    /** First row of the band in a picture of this width. */
    public static int top(int width) {
        return width / COLUMNS;
    }

    /** Height of the band (and width of a block) in a picture of this width. */
    public static int blockSize(int width) {
        return width / COLUMNS;
    }

    /**
     * One luma row of the band for this time, {@code width} bytes; the band is this row repeated
     * {@link #blockSize} times from row {@link #top}. The writer should also make the chroma under the band
     * neutral (128) so that the blocks are pure black and white in RGB too.
     */
    public static byte[] lumaRow(int width, long unixMillis) {
        int block = blockSize(width);
        int[] columns = columns(unixMillis);
        byte[] row = new byte[width];
        for (int x = 0; x < width; x++) {
            row[x] = (byte) columns[Math.min(COLUMNS - 1, x / block)];
        }
        return row;
    }

    /**
     * Reads the stamp from a decoded picture of any size with the band's aspect (the picture may be scaled).
     * Empty when the band is not there or does not read consistently (markers unclear, check failed).
     */
    public static OptionalLong read(Brightness picture, int width, int height) {
        double block = width / (double) COLUMNS;
        int y = (int) Math.round(1.5 * block);
        if (block < 2 || y >= height) {
            return OptionalLong.empty();
        }
        int[] values = new int[COLUMNS];
        for (int column = 0; column < COLUMNS; column++) {
            values[column] = average(picture, (column + 0.5) * block, y, block / 4);
        }
        int white = Math.min(values[0], values[COLUMNS - 1]);
        int black = Math.max(values[1], values[COLUMNS - 2]);
        if (white - black < 64) {
            return OptionalLong.empty();
        }
        int threshold = (white + black) / 2;
        long time = 0;
        for (int bit = 0; bit < TIME_BITS; bit++) {
            time = (time << 1) | (values[FIRST_TIME_COLUMN + bit] > threshold ? 1 : 0);
        }
        int check = 0;
        for (int bit = 0; bit < 4; bit++) {
            check = (check << 1) | (values[FIRST_CHECK_COLUMN + bit] > threshold ? 1 : 0);
        }
        return check == check(time) ? OptionalLong.of(time) : OptionalLong.empty();
    }

    /**
     * Reads the stamp from the luma plane of a decoded picture (GRAY8 or the first plane of I420), rows
     * {@code stride} bytes apart.
     */
    public static OptionalLong read(java.nio.ByteBuffer luma, int width, int height, int stride) {
        return read((x, y) -> luma.get(y * stride + Math.min(width - 1, Math.max(0, x))) & 0xFF, width, height);
    }

    /**
     * Milliseconds from the stamped time to {@code nowMillis}; the stamp holds 32 bits, so the difference is
     * taken modulo 2^32 (about 49 days) and may be negative if the clocks disagree.
     */
    public static long elapsed(long stamp, long nowMillis) {
        return (int) ((nowMillis & TIME_MASK) - stamp);
    }

    private static int check(long time) {
        int sum = 0;
        for (int nibble = 0; nibble < 8; nibble++) {
            sum += (int) ((time >>> (4 * nibble)) & 0xF);
        }
        return sum & 0xF;
    }

    private static int average(Brightness picture, double centreX, int centreY, double radius) {
        int r = Math.max(0, (int) radius);
        int cx = (int) centreX;
        int sum = 0;
        int count = 0;
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                sum += picture.at(cx + dx, centreY + dy);
                count++;
            }
        }
        return sum / count;
    }
}
