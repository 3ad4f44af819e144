package io.pistream.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SubjectAltNamesTest {

    @Test
    void sortsNamesIntoDnsAndIpAndLowerCasesDns() throws Exception {
        SubjectAltNames names = SubjectAltNames.parse(" Pi.Example.org, 192.168.1.20 ,, ::1, 2001:db8::7, localhost");
        assertEquals(Set.of("pi.example.org", "localhost"), names.dnsNames());
        assertEquals(Set.of(InetAddress.getByName("192.168.1.20"), InetAddress.getByName("::1"),
                InetAddress.getByName("2001:db8::7")), names.ipAddresses());
        assertEquals("DNS:pi.example.org, DNS:localhost, IP:192.168.1.20, IP:::1, IP:2001:db8::7", names.toString());
    }

    @Test
    void refusesWhatIsNeitherANameNorAnAddress() {
        for (String bad : List.of("evil name!", "*.example.org", "-lead.example", "trail-.example", "a..b", "1.2.3",
                "256.1.1.1", "01.2.3.4", "fe80::1%eth0", "[::1]", "under_score", "x".repeat(64) + ".example",
                "ex ample", "a,b;c", "example.org.")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SubjectAltNames.of(List.of(bad)), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void neverLooksUpNames() {
        assertTrue(SubjectAltNames.parseIpAddress("localhost").isEmpty());
        assertTrue(SubjectAltNames.parseIpAddress("example.org").isEmpty());
        assertTrue(SubjectAltNames.isDnsName("example.org"));
        assertFalse(SubjectAltNames.isDnsName("192.168.1.1"));
    }

    @Test
    void reportsWhatIsMissing() {
        SubjectAltNames have = SubjectAltNames.parse("a.example, 10.0.0.1");
        SubjectAltNames want = SubjectAltNames.parse("a.example, b.example, 10.0.0.1, 10.0.0.2");
        assertEquals("DNS:b.example, IP:10.0.0.2", want.missingFrom(have).toString());
        assertTrue(have.missingFrom(want).isEmpty());
    }

    @Test
    void formatsIpv6Compactly() throws Exception {
        assertEquals("::1", SubjectAltNames.format(InetAddress.getByName("0:0:0:0:0:0:0:1")));
        assertEquals("2001:db8::1:0:0:1", SubjectAltNames.format(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", SubjectAltNames.format(InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("::", SubjectAltNames.format(InetAddress.getByName("::")));
    }
}
