package io.pistream.rtsp.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;

import org.junit.jupiter.api.Test;

/** {@code pistream:rtsp} prints the server, its mounts (with why they are not served) and its clients. */
class RtspCommandTest {

    @Test
    void listsMountsAndClients() {
        RtspCommand command = new RtspCommand();
        command.status = status(true, List.of(
                new RtspMount("camera", "/camera", "rtsp://192.168.1.20:8554/camera", "hub", "front", "mic", false,
                        "serving", "H.264 from 'front' + OPUS from 'mic'", 2, 2),
                new RtspMount("test", "/test", null, "launch", null, null, false, "waiting",
                        "the RTSP server is not running", 0, 0),
                new RtspMount("bad", "/../x", null, null, null, null, false, "refused", "path: must be ...", 0, 0)),
                List.of(new RtspClient("192.168.1.7:50212", "/camera", "TCP", Instant.now().minusSeconds(75),
                        "vera", true), new RtspClient("192.168.1.8:40000", null, null, Instant.now())));
        String output = print(command);
        assertTrue(output.contains("RTSP server listening on 0.0.0.0 port 8554"), output);
        assertTrue(output.contains("rtsp://192.168.1.20:8554/camera"), output);
        assertTrue(output.contains("front + mic"), output);
        assertTrue(output.contains("launch line"), output);
        assertTrue(output.contains("refused") && output.contains("path: must be"), output);
        assertTrue(output.contains("192.168.1.7:50212") && output.contains("TCP (TLS)") && output.contains("vera")
                && output.contains("1 min 15 s"), output);
        assertTrue(output.contains("RTSPS listening on port 8322"), output);
        assertTrue(output.contains("Players log in with Digest"), output);
        assertTrue(output.contains("Players: 1 of at most 20 (more are answered 503)"), output);
    }

    @Test
    void saysWhyTheServerIsNotRunning() {
        RtspCommand command = new RtspCommand();
        command.status = status(false, List.of(), List.of());
        String output = print(command);
        assertTrue(output.contains("RTSP server not running: cannot listen on 0.0.0.0 port 8554"), output);
        assertTrue(output.contains("No mount configured"), output);
        assertTrue(output.contains("No client connected"), output);
        assertTrue(output.contains("RTSPS (port 8322) not running: waiting for the device certificate"), output);
        assertTrue(output.contains("Authentication is OFF"), output);
    }

    private static String print(RtspCommand command) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static RtspServerStatus status(boolean running, List<RtspMount> mounts, List<RtspClient> clients) {
        return new RtspServerStatus() {
            @Override
            public boolean running() {
                return running;
            }

            @Override
            public String problem() {
                return running ? null : "cannot listen on 0.0.0.0 port 8554: Address already in use";
            }

            @Override
            public String address() {
                return "0.0.0.0";
            }

            @Override
            public int port() {
                return 8554;
            }

            @Override
            public boolean credentialsRequired() {
                return running;
            }

            @Override
            public int tlsPort() {
                return 8322;
            }

            @Override
            public String tlsProblem() {
                return running ? null : "waiting for the device certificate (feature pistream-pki)";
            }

            @Override
            public int players() {
                return clients.size() / 2;
            }

            @Override
            public int maxPlayers() {
                return 20;
            }

            @Override
            public List<RtspMount> mounts() {
                return mounts;
            }

            @Override
            public List<RtspClient> clients() {
                return clients;
            }
        };
    }
}
