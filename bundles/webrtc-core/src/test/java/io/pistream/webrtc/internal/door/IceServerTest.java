package io.pistream.webrtc.internal.door;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import io.pistream.webrtc.internal.session.SessionSettings;

import org.junit.jupiter.api.Test;

class IceServerTest {

    @Test
    void webrtcbinUrlsBecomeWhipLinks() {
        SessionSettings settings = new SessionSettings(List.of(), "stun://stun.example:3478",
                List.of("turn://pi:p%40ss@turn.example:3478?transport=tcp", "turns://u:p@[2001:db8::1]:5349",
                        "turn://no-credentials.example:3478", "not a url"), 1000, 1000, 1000);
        List<IceServer> servers = IceServer.of(settings);
        assertEquals(List.of(new IceServer("stun:stun.example:3478", "", ""),
                new IceServer("turn:turn.example:3478?transport=tcp", "pi", "p@ss"),
                new IceServer("turns:[2001:db8::1]:5349", "u", "p")), servers,
                "a TURN server without credentials is of no use to a client, nor is what is not a URL");
        assertEquals("<stun:stun.example:3478>; rel=\"ice-server\"", servers.get(0).linkHeader());
        assertEquals("<turn:turn.example:3478?transport=tcp>; rel=\"ice-server\"; username=\"pi\"; "
                + "credential=\"p@ss\"; credential-type=\"password\"", servers.get(1).linkHeader());
        assertEquals(List.of(), IceServer.of(SessionSettings.loopback(1000)));
    }
}
