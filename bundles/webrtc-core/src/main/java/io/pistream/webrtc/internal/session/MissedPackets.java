package io.pistream.webrtc.internal.session;

/**
 * Counts the packets a peer asked for again, each once: a receiver asks for a lost packet again every round trip or
 * so until it arrives or is too late to play, and its requests would count a packet lost in a full queue several
 * times. Remembers the last {@value #REMEMBERED} packets asked for: a receiver gives up on a packet long before that
 * many others are lost. Thread-safe.
 */
final class MissedPackets {

    static final int REMEMBERED = 256;

    private final int[] recent = new int[REMEMBERED];
    private int size;
    private int next;
    private long missed;

    /**
     * @param packetIds the sequence numbers one request asks for
     * @return how many of them were not asked for before
     */
    synchronized int asked(int[] packetIds) {
        int added = 0;
        for (int id : packetIds) {
            if (!remembers(id)) {
                recent[next] = id;
                next = (next + 1) % REMEMBERED;
                size = Math.min(REMEMBERED, size + 1);
                added++;
            }
        }
        missed += added;
        return added;
    }

    /** The distinct packets asked for so far. */
    synchronized long missed() {
        return missed;
    }

    private boolean remembers(int id) {
        for (int i = 0; i < size; i++) {
            if (recent[i] == id) {
                return true;
            }
        }
        return false;
    }
}
