package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MissedPacketsTest {

    private final MissedPackets missed = new MissedPackets();

    @Test
    void aPacketAskedForAgainAndAgainIsMissedOnce() {
        assertEquals(3, missed.asked(new int[] {10, 11, 12}));
        assertEquals(1, missed.asked(new int[] {11, 12, 13}), "11 and 12 asked again: a retry, not a new loss");
        assertEquals(0, missed.asked(new int[] {10, 13}));
        assertEquals(4, missed.missed());
    }

    @Test
    void aPacketNumberAskedForLongAfterIsMissedAgain() {
        missed.asked(new int[] {7});
        for (int id = 1000; id < 1000 + MissedPackets.REMEMBERED; id++) {
            missed.asked(new int[] {id});
        }
        assertEquals(1, missed.asked(new int[] {7}), "sequence numbers wrap: 7 is another packet by now");
        assertEquals(2 + MissedPackets.REMEMBERED, missed.missed());
    }
}
