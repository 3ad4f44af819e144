package io.pistream.webrtc.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pistream.api.Tier;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.SignallingStatus;
import io.pistream.webrtc.WebRtcStatus;

class SessionsCommandTest {

    @Test
    void listsSessionsWithTheirFigures() {
        long now = System.currentTimeMillis();
        WebRtcStatus producer = new WebRtcStatus() {
            @Override
            public String role() {
                return "producer";
            }

            @Override
            public boolean endSession(String sessionId) {
                return false;
            }

            @Override
            public String name() {
                return "front door";
            }

            @Override
            public SignallingStatus signalling() {
                return new SignallingStatus("wss://127.0.0.1:8443/signalling", "REGISTERED", "P1", 2, null);
            }

            @Override
            public List<SessionStatus> sessions() {
                return List.of(
                        new SessionStatus("S1", "producer", "C1", "VP8+OPUS", "STREAMING", 1_850_000, 3, 12.5,
                                now - 42_000, 640, null),
                        new SessionStatus("S2", "producer", "C2", "H264", "STREAMING", 610_000, 812, 340.0,
                                now - 30_000, 700, null, 23.4, 930, new Tier(1, 640, 360, 600),
                                "down: 23 % of packets lost"),
                        new SessionStatus("S0", "producer", "C0", "H264+OPUS", "ENDED", 0, 0, -1, now - 90_000, -1,
                                "ICE failed: no candidate pair works"));
            }
        };
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SessionsCommand.print(List.of(producer), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("producer 'front door': REGISTERED at wss://127.0.0.1:8443/signalling as P1, "
                + "2 reconnects"), text);
        for (String expected : List.of("S1", "C1", "VP8+OPUS", "STREAMING", "1850", "12.5", "640", "42",
                "ICE failed: no candidate pair works", "Lost", "RTT ms", "23.4", "930", "1 640x360",
                "down: 23 % of packets lost", "Why this tier")) {
            assertTrue(text.contains(expected), expected + " in\n" + text);
        }
    }

    @Test
    void saysWhenNothingRuns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SessionsCommand.print(List.of(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("No WebRTC producer or receiver"));
    }
}
