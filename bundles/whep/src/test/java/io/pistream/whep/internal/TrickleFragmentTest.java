package io.pistream.whep.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrickleFragmentTest {

    @Test
    void candidatesAreReadByMidWithTheCredentials() {
        // as whip.js/whep.js PATCH them (RFC 8840 fragment, one section per mid)
        TrickleFragment fragment = TrickleFragment.parse("a=ice-ufrag:Ab12\r\na=ice-pwd:secret\r\n"
                + "m=video 9 UDP/TLS/RTP/SAVPF 0\r\na=mid:0\r\n"
                + "a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\n"
                + "a=candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active\r\n"
                + "a=end-of-candidates\r\n");
        assertEquals("Ab12", fragment.iceUfrag());
        assertEquals("secret", fragment.icePwd());
        assertEquals(2, fragment.candidates().size());
        assertEquals("0", fragment.candidates().get(0).mid());
        assertEquals("candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", fragment.candidates().get(0).candidate());
        assertTrue(fragment.endOfCandidates());
    }

    @Test
    void sectionsWithoutMidCountByPosition() {
        TrickleFragment fragment = TrickleFragment.parse("m=audio 9 RTP/AVP 0\na=candidate:1 1 udp 1 127.0.0.1 5 typ host\n"
                + "m=video 9 RTP/AVP 0\na=candidate:2 1 udp 1 127.0.0.1 6 typ host\n");
        assertNull(fragment.iceUfrag());
        assertEquals(0, fragment.candidates().get(0).section());
        assertEquals(1, fragment.candidates().get(1).section());
        assertNull(fragment.candidates().get(1).mid());
    }

    @Test
    void otherTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> TrickleFragment.parse("{\"candidate\":\"x\"}"));
    }
}
