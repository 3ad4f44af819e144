package io.pistream.webrtc.producer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.pistream.gstreamer.testing.Configs;
import io.pistream.webrtc.internal.ProducerSettings;
import io.pistream.webrtc.internal.session.RtpCodec;

class ProducerSettingsTest {

    private static ProducerSettings settings(Map<String, ?> values) {
        return ProducerConfigCheck.settings(Configs.of(ProducerConfig.class, values));
    }

    @Test
    void defaultsAreValid() {
        ProducerSettings settings = settings(Map.of());
        assertNull(settings.problem());
        assertEquals("wss://127.0.0.1:8443/signalling", settings.signallingUrl().toString());
        assertNull(settings.trustCa(), "no karaf.etc outside Karaf: the JDK's trust store");
        assertEquals("", settings.signallingToken(), "the device's own server: the device token, none configured");
        assertEquals("camera", settings.plan().videoSource());
        assertEquals("microphone", settings.plan().audioSource());
        assertEquals(List.of(RtpCodec.VP8, RtpCodec.H264), settings.plan().videoCodecs());
        assertEquals(10, settings.maxSessions());
        assertTrue(settings.plan().nack() && settings.plan().adaptation(), "repair and adaptation on: " + settings);
        assertTrue(settings.sessionSettings().localIps().isEmpty());
        assertEquals(30_000, settings.sessionSettings().connectTimeoutMillis());
        assertEquals("pistream", settings.meta().path("name").asText());
        assertEquals("VP8", settings.meta().path("video-codecs").get(0).asText());
        assertEquals("OPUS", settings.meta().path("audio-codecs").get(0).asText());
    }

    @Test
    void karafEtcIsResolved() {
        String previous = System.getProperty("karaf.etc");
        System.setProperty("karaf.etc", "/opt/pistream/etc");
        try {
            assertEquals("/opt/pistream/etc/pki/ca.crt", settings(Map.of()).trustCa().toString());
        } finally {
            if (previous == null) {
                System.clearProperty("karaf.etc");
            } else {
                System.setProperty("karaf.etc", previous);
            }
        }
    }

    @Test
    void goodValuesAreTaken() {
        ProducerSettings settings = settings(Map.of("signalling.url", "ws://10.0.0.2:8443", "codecs", "h264, vp8",
                "audio", "", "stun.server", "stun://stun.example.org:3478",
                "turn.server", "turn://user:secret@turn.example.org:3478, turns://u:p@[2001:db8::1]:5349",
                "local.ips", "127.0.0.1, 192.168.1.20, fe80::1", "max.sessions", "3", "name", "Front door",
                "fec.percentage", "20"));
        assertNull(settings.problem());
        assertEquals(20, settings.plan().fecPercentage());
        assertEquals(List.of(RtpCodec.H264, RtpCodec.VP8), settings.plan().videoCodecs());
        assertTrue(!settings.plan().hasAudio());
        assertEquals(2, settings.sessionSettings().turnServers().size());
        assertEquals(List.of("127.0.0.1", "192.168.1.20", "fe80::1"), settings.sessionSettings().localIps());
    }

    @Test
    void repairAndAdaptationCanBeTurnedOff() {
        ProducerSettings settings = settings(Map.of("nack", "false", "adaptation", "false"));
        assertNull(settings.problem());
        assertFalse(settings.plan().nack());
        assertFalse(settings.plan().adaptation());
    }

    @Test
    void everyBadKeyIsNamed() {
        ProducerSettings settings = settings(Map.of("signalling.url", "http://example.org", "codecs", "VP9",
                "stun.server", "stun.example.org", "turn.server", "turn://turn.example.org:3478",
                "local.ips", "localhost", "max.sessions", "0", "name", "cam ! fakesink", "video", "a/b",
                "connect.timeout.seconds", "1", "fec.percentage", "101"));
        String problem = settings.problem();
        assertNotNull(problem);
        for (String key : List.of("signalling.url", "codecs", "stun.server", "turn.server", "local.ips",
                "max.sessions", "name", "video", "connect.timeout.seconds", "fec.percentage")) {
            assertTrue(problem.contains(key + ":"), key + " in " + problem);
        }
        assertTrue(problem.startsWith("Invalid configuration io.pistream.webrtc"), problem);
        assertTrue(!problem.contains("turn://turn.example.org") || !problem.contains("secret"));
    }

    @Test
    void iceServersAndAddressesFollowTheSharedHostRules() {
        assertNull(settings(Map.of("stun.server", "stun://[2001:db8::1]:3478", "local.ips", "fe80::1%eth0"))
                .problem());
        for (Map<String, String> bad : List.of(Map.of("stun.server", "stun://stun.example.org:70000"),
                Map.of("stun.server", "stun://stun_1.example.org:3478"),
                Map.of("turn.server", "turn://user:secret@turn.example.org:0"),
                Map.of("turn.server", "turn://user:secret@2001:db8::1:3478"),
                Map.of("local.ips", "192.168.1.300"))) {
            String key = bad.keySet().iterator().next();
            String problem = settings(bad).problem();
            assertNotNull(problem, bad.toString());
            assertTrue(problem.contains(key + ":"), problem);
            assertTrue(!problem.contains("secret"), problem);
        }
    }

    @Test
    void turnPasswordsAreNotLogged() {
        String problem = settings(Map.of("turn.server", "turn://user:secret@bad host:3478")).problem();
        assertNotNull(problem);
        assertTrue(!problem.contains("secret"), problem);
    }

    @Test
    void aTokenForAnotherSignallingServerIsCheckedAndNeverShown() {
        ProducerSettings settings = settings(Map.of("signalling.url", "wss://signalling.example.org",
                "signalling.token", "eyJhbGciOiJIUzI1NiJ9.e30.s1g"));
        assertNull(settings.problem());
        assertEquals("eyJhbGciOiJIUzI1NiJ9.e30.s1g", settings.signallingToken());
        assertTrue(!settings.toString().contains("s1g"), settings.toString());
        String problem = settings(Map.of("signalling.token", "secret with spaces")).problem();
        assertNotNull(problem);
        assertTrue(problem.contains("signalling.token:") && !problem.contains("secret"), problem);
    }

    @Test
    void nothingToSendIsRefused() {
        assertTrue(settings(Map.of("video", "", "audio", "")).problem().contains("nothing to send"));
    }

    /** What decides whether a configuration delivered again restarts the component: equal values, equal settings. */
    @Test
    void theSameConfigurationGivesEqualSettingsAndAChangeDoesNot() {
        assertEquals(settings(Map.of("codecs", "h264", "signalling.token", "t0ken", "local.ips", "127.0.0.1")), settings(Map.of("codecs", "h264", "signalling.token", "t0ken", "local.ips", "127.0.0.1")));
        assertEquals(settings(Map.of("codecs", "h264", "signalling.token", "t0ken", "local.ips", "127.0.0.1")).hashCode(), settings(Map.of("codecs", "h264", "signalling.token", "t0ken", "local.ips", "127.0.0.1")).hashCode());
        assertNotEquals(settings(Map.of("codecs", "h264", "signalling.token", "t0ken", "local.ips", "127.0.0.1")), settings(Map.of("max.sessions", "3")));
        assertNotEquals(settings(Map.of("signalling.token", "a")), settings(Map.of("signalling.token", "b")),
                "the token counts, though it is never shown");
    }
}

