package io.pistream.webrtc.internal.session;

/**
 * Reads a receiver estimated maximum bitrate (REMB, draft-alvestrand-rmcat-remb): the feedback control information
 * of an application-layer feedback message that starts with {@code REMB}, then the number of SSRCs, then the bitrate
 * as a 6-bit exponent and an 18-bit mantissa.
 */
final class Remb {

    private Remb() {
    }

    /** Bits per second, or -1 when the information is not a REMB. */
    static long bitrate(byte[] fci) {
        if (fci.length < 8 || fci[0] != 'R' || fci[1] != 'E' || fci[2] != 'M' || fci[3] != 'B') {
            return -1;
        }
        int exponent = (fci[5] & 0xff) >>> 2;
        long mantissa = ((fci[5] & 0x03L) << 16) | ((fci[6] & 0xffL) << 8) | (fci[7] & 0xffL);
        // 2^18 << 63 would overflow: no link carries that much anyway
        return exponent > 40 ? Long.MAX_VALUE : mantissa << exponent;
    }
}
