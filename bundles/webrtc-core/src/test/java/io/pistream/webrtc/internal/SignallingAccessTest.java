package io.pistream.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pistream.gstreamer.SettingsCheck;
import io.pistream.signalling.testing.TestAccessControl;

class SignallingAccessTest {

    @Test
    void theDevicesOwnServerIsLoopbackOrOneOfItsAddresses() throws Exception {
        for (String url : List.of("wss://127.0.0.1:8443/signalling", "ws://localhost:8443", "wss://LOCALHOST",
                "wss://[::1]:8443/", "ws://127.0.0.2:1")) {
            assertTrue(SignallingAccess.ownServer(URI.create(url)), url);
        }
        for (String url : List.of("wss://example.org:8443", "wss://pi.local:8443", "wss://192.0.2.7:8443",
                "wss://[2001:db8::7]:8443", "wss://localhost.example.org")) {
            assertFalse(SignallingAccess.ownServer(URI.create(url)), url);
        }
        // an address of one of this machine's interfaces, if it has one besides loopback
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(network.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    URI url = URI.create("wss://" + address.getHostAddress() + ":8443/signalling");
                    assertTrue(SignallingAccess.ownServer(url), url.toString());
                }
            }
        }
    }

    @Test
    void theDeviceTokenGoesToTheDevicesServerOnly() {
        TestAccessControl accessControl = TestAccessControl.enforcing();
        URI own = URI.create("wss://127.0.0.1:8443/signalling");
        URI other = URI.create("wss://signalling.example.org");
        assertEquals(TestAccessControl.DEVICE_TOKEN, SignallingAccess.bearer(own, accessControl, "").get());
        assertEquals(TestAccessControl.DEVICE_TOKEN, SignallingAccess.bearer(own, accessControl, "configured").get());
        assertEquals("configured", SignallingAccess.bearer(other, accessControl, "configured").get());
        assertNull(SignallingAccess.bearer(other, accessControl, "").get());
    }

    @Test
    void aConfiguredTokenIsCheckedButNeverShown() {
        SettingsCheck check = new SettingsCheck("io.pistream.webrtc");
        assertEquals("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_",
                SignallingAccess.token(check, "signalling.token", " eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_ "));
        assertEquals("", SignallingAccess.token(check, "signalling.token", null));
        assertNull(check.problem());
        for (String bad : List.of("two words", "line\r\nX-Injected: 1", "s3cr\u00e9t", "x".repeat(4097))) {
            SettingsCheck refusing = new SettingsCheck("io.pistream.webrtc");
            SignallingAccess.token(refusing, "signalling.token", bad);
            String problem = refusing.problem();
            assertTrue(problem != null && problem.contains("signalling.token: must be a bearer token"), bad);
            assertFalse(problem.contains(bad.trim()), problem);
        }
    }
}
