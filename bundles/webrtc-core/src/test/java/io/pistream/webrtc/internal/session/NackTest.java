package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NackTest {

    @Test
    void eachEntryAsksForItsPacketAndThoseItsMaskNames() {
        byte[] fci = {
            0x12, 0x34, 0x00, 0x00, // packet 0x1234 alone
            0x12, 0x40, (byte) 0x80, 0x05, // packet 0x1240, and 3 of the 16 after it
        };
        assertEquals(1 + 4, Nack.packets(fci));
    }

    @Test
    void aTruncatedEntryCountsForNothing() {
        assertEquals(0, Nack.packets(new byte[] {0x12, 0x34, 0x00}));
        assertEquals(17, Nack.packets(new byte[] {0x00, 0x01, (byte) 0xff, (byte) 0xff, 0x01}));
    }

    @Test
    void theIdsAreEachEntrysPacketThenThoseItsMaskNamesPast65535Too() {
        byte[] fci = {
            0x12, 0x34, 0x00, 0x00,
            (byte) 0xff, (byte) 0xfe, (byte) 0x80, 0x05, // 65534, then bits 0, 2 and 15: 65535, 1 and 14
        };
        assertArrayEquals(new int[] {0x1234, 65534, 65535, 1, 14}, Nack.packetIds(fci));
    }
}
