package io.pistream.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.Map;
import java.util.Set;

import io.pistream.api.Codecs;
import io.pistream.api.security.Role;
import io.pistream.rtsp.internal.jna.RtspLib;

import org.junit.jupiter.api.Test;

/** Configuration values are checked before anything native happens; refusals name the key and the reason. */
class ConfigValidationTest {

    @Test
    void defaultsAreValid() {
        ServerSettings settings = ServerSettings.from(server(8554, "0.0.0.0", "udp,tcp", 200, 60));
        assertEquals(ServerSettings.DEFAULTS, settings);
        assertEquals(RtspLib.LOWER_TRANS_UDP | RtspLib.LOWER_TRANS_TCP, settings.protocolFlags());
        assertTrue(settings.wildcard());
    }

    @Test
    void badServerValuesAreRefusedWithTheirKeys() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.from(server(0, "0.0.0.0; rm", "udp,carrier-pigeon", -1, 1)));
        String message = error.getMessage();
        assertTrue(message.contains("port: must be between 1 and 65535, was 0"), message);
        assertTrue(message.contains("address: must be an IP address or a host name"), message);
        assertTrue(message.contains("protocols: unknown protocol 'carrier-pigeon'"), message);
        assertTrue(message.contains("latency.ms"), message);
        assertTrue(message.contains("session.timeout.s"), message);
        assertThrows(IllegalArgumentException.class, () -> ServerSettings.from(server(70000, "::", "tcp", 0, 60)));
        assertThrows(IllegalArgumentException.class, () -> ServerSettings.from(server(8554, "::", " , ", 0, 60)));
    }

    @Test
    void rtspsPortAndPlayerCapAreChecked() {
        ServerSettings settings = ServerSettings.from(server(8554, 0, 1, "0.0.0.0", "tcp", 0, 60));
        assertEquals(0, settings.tlsPort(), "0: no RTSPS");
        assertEquals(1, settings.maxPlayers());
        assertEquals(1000, ServerSettings.from(server(8554, 322, 1000, "::", "tcp", 0, 60)).maxPlayers());

        String message = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.from(server(8554, 70000, 0, "0.0.0.0", "tcp", 0, 60))).getMessage();
        assertTrue(message.contains("tls.port: must be 0 (no RTSPS) or between 1 and 65535, was 70000"), message);
        assertTrue(message.contains("max.players: must be between 1 and 1000, was 0"), message);
        message = assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.from(server(8554, 8554, 20, "0.0.0.0", "tcp", 0, 60))).getMessage();
        assertTrue(message.contains("tls.port: must differ from port (both are 8554)"), message);
        assertThrows(IllegalArgumentException.class,
                () -> ServerSettings.from(server(8554, -1, 1001, "0.0.0.0", "tcp", 0, 60)));
    }

    @Test
    void aUserHoldsEveryMountThatNeedsOneOfItsRoles() {
        assertEquals("viewer+admin", RtspRoles.tokenRole(Set.of(Role.ADMIN, Role.VIEWER)));
        assertEquals("viewer+talk+admin", RtspRoles.tokenRole(Set.of(Role.values())));
        assertNull(RtspRoles.tokenRole(Set.of()));
        assertEquals(Set.of("viewer", "viewer+talk", "viewer+admin", "viewer+talk+admin"),
                Set.copyOf(RtspRoles.tokenRolesHolding(Role.VIEWER)));
        assertEquals(Set.of("admin", "viewer+admin", "talk+admin", "viewer+talk+admin"),
                Set.copyOf(RtspRoles.tokenRolesHolding(Role.ADMIN)));
        assertEquals(Role.VIEWER, RtspRoles.needed(MountSpec.hub("c", "/c", "cam", null, null, false)));
        assertEquals(Role.ADMIN, RtspRoles.needed(MountSpec.launch("t", "/t", "( x ! y name=pay0 )", false)));
    }

    @Test
    void addressesAreCheckedByTheSharedHostRules() {
        for (String address : new String[] {"127.0.0.1", "::", "::1", "pi.local", "raspberrypi"}) {
            assertEquals(address, ServerSettings.from(server(8554, address, "tcp", 0, 60)).address(), address);
        }
        for (String address : new String[] {"1.2.3", "300.1.1.1", "pi_cam.local", "-pi", ""}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> ServerSettings.from(server(8554, address, "tcp", 0, 60)), address);
            assertTrue(error.getMessage().contains("address: must be an IP address or a host name, was '" + address
                    + "'"), error.getMessage());
        }
    }

    @Test
    void protocolsMapToLowerTransports() {
        ServerSettings settings = ServerSettings.from(server(554, "192.168.1.2", "TCP, udp-mcast", 0, 60));
        assertEquals(Set.of("tcp", "udp-mcast"), settings.protocols());
        assertEquals(RtspLib.LOWER_TRANS_TCP | RtspLib.LOWER_TRANS_UDP_MCAST, settings.protocolFlags());
        assertTrue(settings.multicast());
    }

    @Test
    void hubMountsAreValidated() {
        MountSpec camera = MountSpec.hub("camera", "/camera", "front", "mic", "opus", false);
        assertEquals(Codecs.OPUS, camera.audioCodec());
        assertEquals("AAC", MountSpec.hub("a", "/live/cam-1.h264", "front_2", "mic", "AAC", true).audioCodec());
        assertNull(MountSpec.hub("v", "/v", "front", " ", "opus", true).audio());

        for (String path : new String[] {"camera", "/", "/a b", "/a//b", "/../etc", "/a/..", "/./x", "/a?b=1",
                "/a%20b", "/é", "/a/"}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> MountSpec.hub("m", path, "front", null, null, true), path);
            assertTrue(error.getMessage().contains("path:"), error.getMessage());
        }
        for (String id : new String[] {"front cam", "a;b", "../x", "(x)", "x!"}) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> MountSpec.hub("m", "/m", id, null, null, true), id);
            assertTrue(error.getMessage().contains("video:"), error.getMessage());
        }
        IllegalArgumentException badAudio = assertThrows(IllegalArgumentException.class,
                () -> MountSpec.hub("m", "/m", "front", "mic ! fakesink", "mp3", true));
        assertTrue(badAudio.getMessage().contains("audio:") && badAudio.getMessage().contains("audio.codec:"),
                badAudio.getMessage());
        IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class,
                () -> MountSpec.hub("m", "/m", "", null, null, true));
        assertTrue(nothing.getMessage().contains("video:"), nothing.getMessage());
    }

    @Test
    void launchMountsNeedPay0AndCannotMixWithSources() {
        MountSpec launch = MountSpec.launch("test", "/test", "videotestsrc ! x264enc ! rtph264pay name=pay0", false);
        assertEquals("( videotestsrc ! x264enc ! rtph264pay name=pay0 )", launch.launch(), "wrapped in a bin");
        assertTrue(launch.isLaunch());
        IllegalArgumentException noPayloader = assertThrows(IllegalArgumentException.class,
                () -> MountSpec.launch("t", "/t", "( videotestsrc ! fakesink )", false));
        assertTrue(noPayloader.getMessage().contains("launch: needs a payloader named pay0"), noPayloader.getMessage());

        MountConfig both = config("/t", "front", "( videotestsrc ! x264enc ! rtph264pay name=pay0 )");
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> MountSpec.from("t", both));
        assertTrue(mixed.getMessage().contains("launch: cannot be combined"), mixed.getMessage());
    }

    @Test
    void theTemplateContainsNoConfigurationValue() {
        MountSpec spec = MountSpec.hub("camera", "/camera", "front", "mic", "opus", false);
        String launch = MediaTemplates.hub(spec.audioCodec());
        assertTrue(!launch.contains("front") && !launch.contains("mic") && !launch.contains("camera"), launch);
        assertTrue(launch.contains("name=pay0") && launch.contains("rtpopuspay name=pay1"), launch);
        assertTrue(MediaTemplates.hub(null).contains("rtph264pay name=pay0"));
        assertTrue(MediaTemplates.hub(MountSpec.AAC).contains("rtpmp4gpay name=pay1"));
    }

    @Test
    void mountNamesComeFromTheConfiguration() {
        assertEquals("camera", RtspMountComponent.name(Map.of("service.pid", "io.pistream.rtsp.mount~camera")));
        assertEquals("io.pistream.rtsp.mount.1234", RtspMountComponent.name(
                Map.of("service.pid", "io.pistream.rtsp.mount.1234")));
    }

    static ServerConfig server(int port, String address, String protocols, int latency, int sessionTimeout) {
        return server(port, 8322, 20, address, protocols, latency, sessionTimeout);
    }

    static ServerConfig server(int port, int tlsPort, int maxPlayers, String address, String protocols, int latency,
            int sessionTimeout) {
        return new ServerConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return ServerConfig.class;
            }

            @Override
            public int port() {
                return port;
            }

            @Override
            public int tls_port() {
                return tlsPort;
            }

            @Override
            public int max_players() {
                return maxPlayers;
            }

            @Override
            public String address() {
                return address;
            }

            @Override
            public String protocols() {
                return protocols;
            }

            @Override
            public int latency_ms() {
                return latency;
            }

            @Override
            public int session_timeout_s() {
                return sessionTimeout;
            }

            @Override
            public String multicast_addresses() {
                return "224.3.0.1-224.3.0.254";
            }

            @Override
            public String multicast_ports() {
                return "5000-5999";
            }

            @Override
            public int multicast_ttl() {
                return 16;
            }
        };
    }

    static MountConfig config(String path, String video, String launch) {
        return RtspServerTest.mountConfig(path, video, "", launch);
    }
}
