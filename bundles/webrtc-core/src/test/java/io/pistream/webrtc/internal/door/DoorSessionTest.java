package io.pistream.webrtc.internal.door;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class DoorSessionTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long TIMEOUT = 3000 * MS;
    /** Before the gathering deadline. */
    private static final long EARLY = -2900 * MS;

    @Test
    void withHostCandidatesOnlyTheAnswerGoesOnceTheyStopComing() {
        assertFalse(DoorSession.answerReady(false, true, 0, 0, EARLY, TIMEOUT), "no candidate yet");
        assertFalse(DoorSession.answerReady(false, true, 9, 5 * MS, EARLY, TIMEOUT), "candidates still coming");
        assertTrue(DoorSession.answerReady(false, true, 9, DoorSession.HOST_CANDIDATES_QUIET_MILLIS * MS, EARLY,
                TIMEOUT), "quiet: webrtcbin would say complete 200 ms later, with nothing more");
    }

    @Test
    void withStunOrTurnTheAnswerWaitsForGatheringOrTheDeadline() {
        assertFalse(DoorSession.answerReady(false, false, 9, 500 * MS, EARLY, TIMEOUT),
                "server-reflexive and relay candidates may still come");
        assertTrue(DoorSession.answerReady(true, false, 9, 500 * MS, EARLY, TIMEOUT), "gathering complete");
        assertFalse(DoorSession.answerReady(true, false, 0, 0, EARLY, TIMEOUT),
                "complete, but the candidates have not reached the door yet");
        assertTrue(DoorSession.answerReady(false, false, 3, 500 * MS, MS, TIMEOUT), "past the deadline");
        assertFalse(DoorSession.answerReady(false, false, 0, 0, MS, TIMEOUT), "past the deadline, no candidate");
        assertTrue(DoorSession.answerReady(false, false, 0, 0, TIMEOUT + MS, TIMEOUT),
                "past twice the deadline: the answer goes without candidates");
    }

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
