package io.pistream.signalling.internal.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class HandshakeGuardTest {

    @Test
    void offByDefault() {
        HandshakeGuard guard = new HandshakeGuard(List.of(), "");
        assertNull(guard.check("https://anything", null, null));
        assertNull(guard.check(null, null, null));
    }

    @Test
    void origins() {
        HandshakeGuard guard = new HandshakeGuard(List.of("https://Pi.local:8443/"), null);
        assertNull(guard.check("https://pi.local:8443", null, null));
        assertNull(guard.check("HTTPS://PI.LOCAL:8443/", null, null));
        assertNull(guard.check(null, null, null)); // not a browser
        assertEquals(new HandshakeGuard.Rejection(403, "Origin not allowed"), guard.check("https://pi.local", null, null));
        assertEquals(403, guard.check("null", null, null).status());
        assertNull(new HandshakeGuard(List.of("*"), null).check("https://x", null, null));
    }

    @Test
    void token() {
        HandshakeGuard guard = new HandshakeGuard(List.of(), "t0k€n");
        HandshakeGuard.Rejection refused = new HandshakeGuard.Rejection(401, "Missing or wrong token");
        assertEquals(refused, guard.check(null, null, null));
        assertEquals(refused, guard.check(null, null, List.of("t0k")));
        assertEquals(refused, guard.check(null, "Bearer t0k€", null));
        assertEquals(refused, guard.check(null, "Basic dDBr4oKsbg==", null));
        assertEquals(refused, guard.check(null, "Bearer", null));
        assertNull(guard.check(null, null, List.of("wrong", "t0k€n")));
        assertNull(guard.check(null, "Bearer t0k€n", null));
        assertNull(guard.check(null, "bearer   t0k€n ", null));
        // origin is checked first
        assertEquals(403, new HandshakeGuard(List.of("https://a"), "x").check("https://b", "Bearer x", null).status());
    }
}
