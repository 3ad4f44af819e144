package io.pistream.webapp.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

    @Test
    void allowsOnlyTheDeviceItselfAndItsSignalling() {
        String policy = SecurityHeaders.contentSecurityPolicy("pi.local:8443", true);
        assertTrue(policy.contains("connect-src 'self' wss://pi.local:8443;"), policy);
        assertTrue(policy.contains("script-src 'self';"), policy);
        assertFalse(policy.contains("unsafe-inline"), policy);
        assertTrue(policy.contains("frame-ancestors 'none'"), policy);
    }

    @Test
    void anIpv6HostIsAllowedInBracketsAndABadPortIsNot() {
        String ipv6 = SecurityHeaders.contentSecurityPolicy("[::1]:8443", true);
        assertTrue(ipv6.contains("connect-src 'self' wss://[::1]:8443;"), ipv6);
        String badPort = SecurityHeaders.contentSecurityPolicy("pi.local:99999", false);
        assertTrue(badPort.contains("connect-src 'self';"), badPort);
    }

    @Test
    void aForgedHostHeaderAddsNothing() {
        String policy = SecurityHeaders.contentSecurityPolicy("evil.example; script-src *", true);
        assertTrue(policy.contains("connect-src 'self';"), policy);
        assertFalse(policy.contains("evil"), policy);
    }
}
