package io.pistream.webrtc.internal.session;

/**
 * Reads a generic NACK (RFC 4585, section 6.2.1): feedback control information made of 32-bit entries, each a
 * packet ID and a bitmask of the 16 packets after it that are lost too.
 */
final class Nack {

    private Nack() {
    }

    /** How many packets the entries ask for again; a trailing partial entry is ignored. */
    static int packets(byte[] fci) {
        int packets = 0;
        for (int at = 0; at + 4 <= fci.length; at += 4) {
            int following = ((fci[at + 2] & 0xff) << 8) | (fci[at + 3] & 0xff);
            packets += 1 + Integer.bitCount(following);
        }
        return packets;
    }
}
