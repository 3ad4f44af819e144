package io.pistream.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DeviceNamesTest {

    @Test
    void shortHostName() throws Exception {
        SubjectAltNames names = DeviceNames.of("RaspberryPi", List.of(InetAddress.getByName("192.168.1.20"),
                InetAddress.getByName("fe80::1"), InetAddress.getByName("169.254.3.4"),
                InetAddress.getByName("127.0.1.1"), InetAddress.getByName("2001:db8::20")));
        assertEquals("DNS:raspberrypi, DNS:raspberrypi.local, DNS:localhost, IP:127.0.0.1, IP:::1, IP:192.168.1.20,"
                + " IP:2001:db8::20", names.toString());
    }

    @Test
    void fullyQualifiedHostName() {
        SubjectAltNames names = DeviceNames.of("cam1.example.lan", List.of());
        assertEquals(Set.of("cam1.example.lan", "cam1", "cam1.local", "localhost"), names.dnsNames());
    }

    @Test
    void aHostNameThatIsNoDnsNameIsLeftOut() {
        SubjectAltNames names = DeviceNames.of("my_pi", List.of());
        assertEquals(Set.of("localhost"), names.dnsNames());
        assertEquals(2, names.ipAddresses().size());
    }

    @Test
    void thisMachine() {
        SubjectAltNames names = DeviceNames.collect();
        assertTrue(names.dnsNames().contains("localhost"));
        assertFalse(names.ipAddresses().isEmpty());
        names.ipAddresses().forEach(address -> assertFalse(address.isLinkLocalAddress(), address.toString()));
    }

    @Test
    void skipsTemporaryAndDeprecatedIpv6Addresses() throws Exception {
        assertEquals(Set.of(InetAddress.getByName("2001:db8::1")),
                DeviceNames.parseIfInet6("20010db8000000000000000000000001 02 40 00 01     wlan0"));
        assertEquals(Set.of(InetAddress.getByName("2001:db8::2")),
                DeviceNames.parseIfInet6("20010db8000000000000000000000002 02 40 00 20     wlan0"));
        assertEquals(Set.of(), DeviceNames.parseIfInet6("20010db8000000000000000000000003 02 40 00 80     wlan0"));
        assertTrue(DeviceNames.isContainerBridge("docker0"));
        assertFalse(DeviceNames.isContainerBridge("wlan0"));
    }
}
