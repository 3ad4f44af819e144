package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The bitrate a viewer's REMB carries. */
class RembTest {

    @Test
    void exponentAndMantissa() {
        // 1,000,000 = 244140 (0x3B9AC) << 2 + 160: a receiver rounds down to what its 18 bits can say
        long mantissa = 1_000_000 >> 2;
        byte[] fci = {'R', 'E', 'M', 'B', 1, (byte) ((2 << 2) | (mantissa >> 16)), (byte) (mantissa >> 8),
            (byte) mantissa, 0x12, 0x34, 0x56, 0x78};
        assertEquals(1_000_000, Remb.bitrate(fci));
        byte[] large = {'R', 'E', 'M', 'B', 1, (byte) ((12 << 2) | 0x3), (byte) 0xff, (byte) 0xff};
        assertEquals(0x3ffffL << 12, Remb.bitrate(large));
    }

    @Test
    void otherFeedbackIsNotARemb() {
        assertEquals(-1, Remb.bitrate(new byte[] {'G', 'O', 'O', 'G', 1, 0, 0, 1}));
        assertEquals(-1, Remb.bitrate(new byte[] {'R', 'E', 'M', 'B', 1}));
        assertEquals(-1, Remb.bitrate(new byte[0]));
    }
}
