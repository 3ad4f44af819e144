package io.pistream.signalling.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pistream.signalling.PeerInfo;
import io.pistream.signalling.SessionInfo;
import io.pistream.signalling.SignallingServer;

class PeersCommandTest {

    private static String run(SignallingServer server, boolean verbose) {
        PeersCommand command = new PeersCommand();
        command.server = server;
        command.verbose = verbose;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        command.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsPeersWithRolesMetaAndSessions() {
        SessionInfo s1 = new SessionInfo("s-1", "producer-1", "consumer-1");
        SessionInfo s2 = new SessionInfo("s-2", "producer-1", "browser-1");
        String longMeta = "{\"name\":\"a very long name that goes on and on and on beyond forty characters\"}";
        SignallingServer server = new SignallingServer() {
            @Override
            public List<PeerInfo> peers() {
                return List.of(
                        new PeerInfo("producer-1", List.of("producer"), "{\"name\":\"cam\"}", "v1_1", List.of(s1, s2),
                                "192.168.1.7:50000"),
                        new PeerInfo("consumer-1", List.of(), null, "v1_0", List.of(s1), "127.0.0.1:40000"),
                        new PeerInfo("browser-1", List.of("listener", "producer"), longMeta, "v1_0", List.of(s2), null));
            }

            @Override
            public List<SessionInfo> sessions() {
                return List.of(s1, s2);
            }
        };
        String out = run(server, false);
        assertTrue(out.contains("producer-1"), out);
        assertTrue(out.contains("listener,producer"), out);
        assertTrue(out.contains("{\"name\":\"cam\"}"), out);
        assertTrue(out.contains("v1_1"), out);
        assertTrue(out.contains("s-1 producer for consumer-1"), out);
        assertTrue(out.contains("s-2 producer for browser-1"), out);
        assertTrue(out.contains("s-1 consumer of producer-1"), out);
        assertTrue(out.contains("192.168.1.7:50000"), out);
        assertTrue(!out.contains("beyond forty characters"), out);
        assertTrue(out.contains("3 peer(s), 2 session(s)"), out);
        assertTrue(run(server, true).contains("beyond forty characters"));
    }

    @Test
    void saysSoWhenNobodyIsConnected() {
        SignallingServer empty = new SignallingServer() {
            @Override
            public List<PeerInfo> peers() {
                return List.of();
            }

            @Override
            public List<SessionInfo> sessions() {
                return List.of();
            }
        };
        String out = run(empty, false);
        assertTrue(out.contains("No peer connected"), out);
        assertTrue(out.contains("0 peer(s), 0 session(s)"), out);
    }
}
