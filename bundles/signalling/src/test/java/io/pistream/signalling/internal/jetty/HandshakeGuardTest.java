package io.pistream.signalling.internal.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class HandshakeGuardTest {

    @Test
    void offByDefault() {
        HandshakeGuard guard = new HandshakeGuard(List.of());
        assertNull(guard.check("https://anything"));
        assertNull(guard.check(null));
    }

    @Test
    void origins() {
        HandshakeGuard guard = new HandshakeGuard(List.of("https://Pi.local:8443/"));
        assertNull(guard.check("https://pi.local:8443"));
        assertNull(guard.check("HTTPS://PI.LOCAL:8443/"));
        assertNull(guard.check(null)); // not a browser
        assertEquals(new HandshakeGuard.Rejection(403, "Origin not allowed"), guard.check("https://pi.local"));
        assertEquals(403, guard.check("null").status());
        assertNull(new HandshakeGuard(List.of("*")).check("https://x"));
    }
}
