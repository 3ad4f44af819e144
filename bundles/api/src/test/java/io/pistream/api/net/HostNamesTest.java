package io.pistream.api.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import io.pistream.api.net.HostNames.HostPort;

import org.junit.jupiter.api.Test;

class HostNamesTest {

    @Test
    void dnsNamesAreLabelsOfLettersDigitsAndInnerHyphens() {
        for (String name : List.of("localhost", "pi", "raspberrypi.local", "stun.l.google.com", "a-b.example",
                "xn--bcher-kva.example", "1pi.example", "host1", "A.EXAMPLE", "a".repeat(63) + ".example")) {
            assertTrue(HostNames.isDnsName(name), name);
            assertTrue(HostNames.isHost(name), name);
        }
        for (String name : List.of("", "-pi", "pi-", "a..b", ".pi", "pi.", "pi_cam", "pi cam", "*.example",
                "a".repeat(64) + ".example", "1.2.3", "192.168.1.20", "10.0.0.300", "pi;rm", "pi!fakesink",
                ("a".repeat(60) + ".").repeat(5) + "example")) {
            assertFalse(HostNames.isDnsName(name), name);
        }
    }

    @Test
    void ipv4LiteralsAreFourNumbersUpTo255WithoutLeadingZeros() {
        assertEquals(Optional.of(address(192, 168, 1, 20)), HostNames.parseIpAddress("192.168.1.20"));
        for (String address : List.of("0.0.0.0", "127.0.0.1", "255.255.255.255", "224.3.0.1")) {
            assertTrue(HostNames.isIpAddress(address), address);
            assertTrue(HostNames.isHost(address), address);
        }
        for (String text : List.of("256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.", "1..2.3", "a.b.c.d",
                "1.2.3.4 ", " 1.2.3.4", "1.2.3.-4", "+1.2.3.4", "1.2.3.4%eth0")) {
            assertFalse(HostNames.isIpAddress(text), text);
        }
        assertFalse(HostNames.isHost("256.1.1.1"), "neither an address nor a name (all-digit last label)");
    }

    @Test
    void ipv6LiteralsAreParsedWithoutBracketsOrZones() throws Exception {
        assertEquals(Optional.of(InetAddress.getByName("::1")), HostNames.parseIpAddress("::1"));
        for (String address : List.of("::", "::1", "fe80::1", "2001:db8::8a2e:370:7334", "2001:DB8:0:0:0:0:0:1",
                "::ffff:192.0.2.1")) {
            assertTrue(HostNames.isIpAddress(address), address);
        }
        for (String text : List.of(":::", "1::2::3", "12345::", "[::1]", "fe80::1%eth0", "::g", "2001:db8::1 ",
                ":", "1:2:3:4:5:6:7:8:9")) {
            assertFalse(HostNames.isIpAddress(text), text);
        }
    }

    @Test
    void interfaceAddressesMayCarryAnIpv6Zone() {
        for (String address : List.of("192.168.1.20", "::1", "fe80::1%eth0", "fe80::1%wlan0.5", "fe80::1%3")) {
            assertTrue(HostNames.isInterfaceAddress(address), address);
        }
        for (String text : List.of("fe80::1%", "fe80::1%eth 0", "192.168.1.20%eth0", "pi.local", "fe80::1%eth0!",
                "%eth0")) {
            assertFalse(HostNames.isInterfaceAddress(text), text);
        }
    }

    @Test
    void multicastIsIpv4From224To239() {
        for (String address : List.of("224.0.0.0", "224.3.0.1", "239.255.255.255")) {
            assertTrue(HostNames.isIpv4Multicast(address), address);
        }
        for (String text : List.of("223.255.255.255", "240.0.0.0", "192.168.1.1", "ff02::1", "224.3.0", "mcast")) {
            assertFalse(HostNames.isIpv4Multicast(text), text);
        }
    }

    @Test
    void hostPortTakesANameOrIpv4OrABracketedIpv6() {
        assertEquals(Optional.of(new HostPort("stun.l.google.com", 19302)),
                HostNames.parseHostPort("stun.l.google.com:19302"));
        assertEquals(Optional.of(new HostPort("192.0.2.1", 3478)), HostNames.parseHostPort("192.0.2.1:3478"));
        assertEquals(Optional.of(new HostPort("2001:db8::1", 5349)), HostNames.parseHostPort("[2001:db8::1]:5349"));
        assertEquals(Optional.of(new HostPort("localhost", 65535)), HostNames.parseHostPort("localhost:65535"));
        for (String text : List.of("stun.example", "stun.example:", "stun.example:0", "stun.example:65536",
                "stun.example:123456", "stun.example:12a", "2001:db8::1:5349", "[2001:db8::1]", "[2001:db8::1]5349",
                "[pi.local]:3478", "[192.0.2.1]:3478", ":3478", "-bad-:3478", "a b:3478", "stun.example:+80")) {
            assertEquals(Optional.empty(), HostNames.parseHostPort(text), text);
        }
    }

    @Test
    void authoritiesAreHostsWithAnOptionalPort() {
        for (String authority : List.of("pi.local", "pi.local:8443", "192.168.1.20", "192.168.1.20:8443", "[::1]",
                "[::1]:8443", "localhost:1")) {
            assertTrue(HostNames.isAuthority(authority), authority);
        }
        for (String text : List.of("::1", "::1:8443", "[pi.local]", "pi.local:", "pi.local:99999", "evil.example/x",
                "pi.local:8443:1", "a b", "[::1", "", "user@pi.local")) {
            assertFalse(HostNames.isAuthority(text), text);
        }
        assertFalse(HostNames.isAuthority(null));
    }

    @Test
    void urlsPutIpv6InBrackets() {
        assertEquals("[::1]", HostNames.forUrl("::1"));
        assertEquals("[::1]", HostNames.forUrl("[::1]"));
        assertEquals("192.168.1.20", HostNames.forUrl("192.168.1.20"));
        assertEquals("pi.local", HostNames.forUrl("pi.local"));
    }

    @Test
    void nullIsNothing() {
        assertFalse(HostNames.isHost(null));
        assertFalse(HostNames.isDnsName(null));
        assertFalse(HostNames.isIpAddress(null));
        assertFalse(HostNames.isInterfaceAddress(null));
        assertFalse(HostNames.isIpv4Multicast(null));
        assertEquals(Optional.empty(), HostNames.parseHostPort(null));
    }

    private static InetAddress address(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
