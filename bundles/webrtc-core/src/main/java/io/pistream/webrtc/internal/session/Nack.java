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
            packets += 1 + Integer.bitCount(following(fci, at));
        }
        return packets;
    }

    /** The sequence numbers of the packets the entries ask for again, in order; a trailing partial entry is ignored. */
    static int[] packetIds(byte[] fci) {
        int[] ids = new int[packets(fci)];
        int next = 0;
        for (int at = 0; at + 4 <= fci.length; at += 4) {
            int id = ((fci[at] & 0xff) << 8) | (fci[at + 1] & 0xff);
            int following = following(fci, at);
            ids[next++] = id;
            for (int bit = 0; bit < 16; bit++) {
                if ((following & (1 << bit)) != 0) {
                    ids[next++] = (id + bit + 1) & 0xffff;
                }
            }
        }
        return ids;
    }

    /** The entry's bitmask of the 16 packets after its packet ID. */
    private static int following(byte[] fci, int at) {
        return ((fci[at + 2] & 0xff) << 8) | (fci[at + 3] & 0xff);
    }
}
