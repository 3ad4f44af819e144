package io.pistream.latency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FrameStampTest {

    private static final long NOW = 1_795_000_123_456L;

    @Test
    void readsBackWhatWasDrawn() {
        for (long time : new long[] {NOW, 0, 0xFFFF_FFFFL, NOW + 1, NOW + 977}) {
            assertEquals(time & 0xFFFF_FFFFL, read(picture(1280, 720, time), 1280, 720).getAsLong());
        }
    }

    @Test
    void readsAScaledAndNoisyPicture() {
        int[][] full = picture(1280, 720, NOW);
        int[][] half = new int[360][640];
        Random noise = new Random(7);
        for (int y = 0; y < 360; y++) {
            for (int x = 0; x < 640; x++) {
                int value = (full[2 * y][2 * x] + full[2 * y + 1][2 * x + 1]) / 2 + noise.nextInt(41) - 20;
                half[y][x] = Math.max(0, Math.min(255, value));
            }
        }
        assertEquals(NOW & 0xFFFF_FFFFL, read(half, 640, 360).getAsLong());
    }

    @Test
    void aPictureWithoutTheBandReadsAsNothing() {
        int[][] grey = new int[720][1280];
        assertTrue(read(grey, 1280, 720).isEmpty());
        int[][] stamped = picture(1280, 720, NOW);
        // one flipped time bit: the check no longer matches
        int block = FrameStamp.blockSize(1280);
        for (int y = block; y < 2 * block; y++) {
            for (int x = 5 * block; x < 6 * block; x++) {
                stamped[y][x] = 251 - stamped[y][x];
            }
        }
        assertTrue(read(stamped, 1280, 720).isEmpty());
    }

    @Test
    void elapsedIsTakenAcrossTheWrapOfThe32BitClock() {
        long stamp = 0xFFFF_FFF0L;
        assertEquals(32, FrameStamp.elapsed(stamp, (1L << 32) + 16));
        assertEquals(-5, FrameStamp.elapsed(NOW & 0xFFFF_FFFFL, NOW - 5));
    }

    @Test
    void sizesThatCannotCarryTheBandAreRefused() {
        assertTrue(FrameStamp.fits(1280, 720));
        assertTrue(FrameStamp.fits(640, 360));
        assertTrue(!FrameStamp.fits(1278, 720));
        assertTrue(!FrameStamp.fits(1280, 721));
    }

    private static int[][] picture(int width, int height, long time) {
        int[][] picture = new int[height][width];
        for (int[] row : picture) {
            java.util.Arrays.fill(row, 128);
        }
        byte[] band = FrameStamp.lumaRow(width, time);
        int top = FrameStamp.top(width);
        for (int y = top; y < top + FrameStamp.blockSize(width); y++) {
            for (int x = 0; x < width; x++) {
                picture[y][x] = band[x] & 0xFF;
            }
        }
        return picture;
    }

    private static OptionalLong read(int[][] picture, int width, int height) {
        return FrameStamp.read((x, y) -> picture[y][x], width, height);
    }
}
