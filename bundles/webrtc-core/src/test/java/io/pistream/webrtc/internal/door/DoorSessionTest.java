package io.pistream.webrtc.internal.door;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class DoorSessionTest {

    @Test
    void candidatesGoAtTheEndOfTheirSectionFollowedByEndOfCandidates() {
        String answer = "v=0\r\ns=-\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\na=candidate:0 1 UDP 1 10.0.0.1 9 typ host\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:1\r\n";
        String with = DoorSession.withCandidates(answer, List.of(
                new Object[] {0, "candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host"},
                new Object[] {1, "a=candidate:2 1 UDP 2015363327 127.0.0.1 40002 typ host"}));
        assertEquals("v=0\r\ns=-\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:0\r\n"
                + "a=candidate:1 1 UDP 2015363327 127.0.0.1 40000 typ host\r\na=end-of-candidates\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:1\r\n"
                + "a=candidate:2 1 UDP 2015363327 127.0.0.1 40002 typ host\r\na=end-of-candidates\r\n", with,
                "the candidates webrtcbin put in its description already are replaced by the gathered ones");
    }
}
