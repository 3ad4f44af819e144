package io.pistream.rtsp.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.pistream.api.security.Role;
import io.pistream.pki.CertificateAuthority;
import io.pistream.pki.PkiFiles;
import io.pistream.pki.ServerCertificate;
import io.pistream.pki.ServerCertificates;
import io.pistream.pki.SubjectAltNames;
import io.pistream.pki.TlsMaterial;
import io.pistream.rtsp.RtspClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RTSP door with real players (ffprobe, gst-launch-1.0 rtspsrc, rtspsrc in this JVM, raw sockets) on 127.0.0.1:
 * Digest logins against the users of a stand-in {@link TestAccessControl}, roles per mount, throttling after failed
 * logins, the cap on players, RTSPS with a certificate issued by the pki bundle, and authentication switched off.
 * One server with authentication on for the class; RTSPS, the cap and authentication off get servers of their own.
 */
class RtspAccessTest {

    private static final String LOOPBACK = "127.0.0.1";

    private static RtspRig rig;

    @BeforeAll
    static void startServer() throws Exception {
        rig = RtspRig.withCameraAndTestMounts();
    }

    @AfterAll
    static void stopServer() {
        if (rig != null) {
            rig.close();
        }
    }

    @AfterEach
    void forgetFailedLogins() {
        rig.access.forgive(LOOPBACK);
    }

    @Test
    void withoutCredentialsThereIsADigestChallengeAndNoFrame() throws Exception {
        try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
            RawRtsp.Response describe = client.request("DESCRIBE", rig.bareUrl("/camera"), "Accept: application/sdp");
            assertEquals(401, describe.status());
            String challenge = describe.header("www-authenticate");
            assertNotNull(challenge);
            assertTrue(challenge.startsWith("Digest realm=\"pistream\", nonce=\""), challenge);
            assertFalse(challenge.contains("Basic"), "Basic is never offered over plain RTSP: " + challenge);
            assertEquals("", describe.body(), "no SDP without credentials");
        }
        Clients.Result rtspsrc = Clients.run(30_000, Clients.decodeCommand(rig.bareUrl("/camera"), "tcp", 10));
        assertEquals(0, Clients.decodedFrames(rtspsrc.output()));
        assertFalse(Clients.playedToTheEnd(rtspsrc));
        assertTrue(rtspsrc.output().contains("Unauthorized"), Clients.tail(rtspsrc.output()));
        Clients.Result ffprobe = ffprobe(rig.bareUrl("/camera"));
        assertNotEquals(0, ffprobe.exitCode());
        assertTrue(ffprobe.output().contains("401 Unauthorized"), ffprobe.output());
        assertEquals(0, rig.access.failures(LOOPBACK), "the challenge every player gets first is no failed login");
    }

    @Test
    void aWrongPasswordIsRefusedAndCountedAsAFailedLogin() throws Exception {
        Clients.Result ffprobe = ffprobe(rig.url("/camera", RtspRig.VIEWER, "wrong-password"));
        assertNotEquals(0, ffprobe.exitCode());
        assertTrue(ffprobe.output().contains("401 Unauthorized"), ffprobe.output());
        int afterFfprobe = rig.access.failures(LOOPBACK);
        assertTrue(afterFfprobe >= 1, "counted: " + afterFfprobe);

        try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
            RawRtsp.Response describe = client.request("DESCRIBE", rig.url("/camera", "nobody-known", "x"),
                    "Accept: application/sdp");
            assertEquals(401, describe.status());
            assertEquals(List.of(401, 401), client.statuses, "challenged, then refused with the credentials");
        }
        assertEquals(afterFfprobe + 1, rig.access.failures(LOOPBACK), "an unknown user is a failed login too");
    }

    @Test
    void aViewerPlaysHubMountsAndIsShownAsTheUser() throws Exception {
        String url = rig.url("/camera", RtspRig.VIEWER, RtspRig.VIEWER_PASSWORD);
        for (String transport : List.of("tcp", "udp")) {
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(url, transport), transport);
        }
        Clients.Result result = Clients.run(30_000, Clients.decodeCommand(url, "tcp", 30));
        assertTrue(Clients.playedToTheEnd(result), Clients.tail(result.output()));
        assertEquals(30, Clients.decodedFrames(result.output()));

        try (Clients.Player player = Clients.Player.decode(url, "udp")) {
            player.awaitFrames("the viewer plays", 5, Duration.ofSeconds(30));
            RtspClient client = rig.server.clients().stream().filter(c -> "/camera".equals(c.path())).findFirst()
                    .orElseThrow();
            assertEquals(RtspRig.VIEWER, client.user());
            assertFalse(client.secure());
            await("earlier players have left: one place is taken").atMost(Duration.ofSeconds(10))
                    .until(() -> rig.server.players() == 1);
        }
        assertEquals(0, rig.access.failures(LOOPBACK));
    }

    @Test
    void aUserWithoutTheViewerRoleIsRefused() throws Exception {
        changeUsers(rig.server, () -> rig.access.user("tom", "talk-pass-1", Role.TALK));
        changeUsers(rig.server, () -> rig.access.user("nora", "no-role-pass"));
        try {
            try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
                assertEquals(404, client.request("DESCRIBE", rig.url("/camera", "tom", "talk-pass-1"),
                        "Accept: application/sdp").status(), "logged in, but may not see the mount");
                assertEquals(List.of(401, 404), client.statuses);
            }
            Clients.Result ffprobe = ffprobe(rig.url("/camera", "tom", "talk-pass-1"));
            assertNotEquals(0, ffprobe.exitCode());
            assertTrue(ffprobe.output().contains("404 Not Found"), ffprobe.output());
            assertEquals(0, rig.access.failures(LOOPBACK), "the right password is no failed login");

            try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
                assertEquals(401, client.request("DESCRIBE", rig.url("/camera", "nora", "no-role-pass"),
                        "Accept: application/sdp").status(), "a user without any role cannot log in here");
            }
        } finally {
            rig.access.removeUser("tom");
            rig.access.removeUser("nora");
        }
    }

    @Test
    void launchMountsAreForAdministratorsOnly() throws Exception {
        try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
            assertEquals(404, client.request("DESCRIBE", rig.url("/test", RtspRig.VIEWER, RtspRig.VIEWER_PASSWORD),
                    "Accept: application/sdp").status());
        }
        Clients.Result viewer = ffprobe(rig.url("/test", RtspRig.VIEWER, RtspRig.VIEWER_PASSWORD));
        assertNotEquals(0, viewer.exitCode());
        assertTrue(viewer.output().contains("404 Not Found"), viewer.output());

        assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url("/test", RtspRig.ADMIN, RtspRig.ADMIN_PASSWORD),
                "tcp"));
        assertTrue(rig.server.mounts().stream().anyMatch(m -> m.path().equals("/test")
                && m.detail().contains("for role admin")), rig.server.mounts().toString());
    }

    @Test
    void anAddressIsRefusedAfterTooManyFailedLoginsWhileItsPlayersPlayOn() throws Exception {
        rig.access.failureLimit(3);
        try (Clients.Player player = Clients.Player.decode(rig.url("/camera"), "tcp")) {
            player.awaitFrames("a player plays", 5, Duration.ofSeconds(30));
            for (int i = 0; i < 3; i++) {
                try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
                    assertEquals(401, client.request("DESCRIBE", rig.url("/camera", RtspRig.VIEWER, "guess-" + i),
                            "Accept: application/sdp").status());
                }
            }
            assertTrue(rig.access.throttled(LOOPBACK));

            try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
                assertEquals(403, client.request("DESCRIBE", rig.url("/camera", RtspRig.VIEWER,
                        RtspRig.VIEWER_PASSWORD), "Accept: application/sdp").status(), "even the right password");
                long start = System.nanoTime();
                assertTrue(client.isClosedByServer(), "the refused connection is closed");
                assertTrue((System.nanoTime() - start) / 1_000_000 < 5000);
            }
            Clients.Result ffprobe = ffprobe(rig.url("/camera", RtspRig.VIEWER, RtspRig.VIEWER_PASSWORD));
            assertNotEquals(0, ffprobe.exitCode());
            assertTrue(ffprobe.output().contains("403 Forbidden"), ffprobe.output());

            int frames = player.frames.get();
            player.awaitFrames("the player that logged in before plays on", frames + 30, Duration.ofSeconds(10));

            rig.access.forgive(LOOPBACK); // the throttle's time is up
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url("/camera", RtspRig.VIEWER,
                    RtspRig.VIEWER_PASSWORD), "tcp"));
        } finally {
            rig.access.failureLimit(5);
        }
    }

    @Test
    void passwordsAndRolesChangeWithoutARestart() throws Exception {
        String path = "/camera";
        changeUsers(rig.server, () -> rig.access.user("rita", "first-pass-1", Role.VIEWER));
        try {
            assertEquals(200, describe(rig.url(path, "rita", "first-pass-1")), "a new user can log in");

            changeUsers(rig.server, () -> rig.access.user("rita", "second-pass-2", Role.VIEWER));
            assertEquals(200, describe(rig.url(path, "rita", "second-pass-2")), "the new password works");
            assertEquals(401, describe(rig.url(path, "rita", "first-pass-1")), "the old password no longer does");
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url(path, "rita", "second-pass-2"), "tcp"));

            assertEquals(404, describe(rig.url("/test", "rita", "second-pass-2")));
            changeUsers(rig.server, () -> rig.access.user("rita", "second-pass-2", Role.VIEWER, Role.ADMIN));
            assertEquals(200, describe(rig.url("/test", "rita", "second-pass-2")), "a new role counts");

            try (Clients.Player player = Clients.Player.decode(rig.url(path, "rita", "second-pass-2"), "tcp")) {
                player.awaitFrames("rita plays", 5, Duration.ofSeconds(30));
                changeUsers(rig.server, () -> rig.access.removeUser("rita"));
                assertEquals(401, describe(rig.url(path, "rita", "second-pass-2")), "a removed user cannot log in");
                assertTrue(player.process.waitFor(10, TimeUnit.SECONDS), "and what rita played ends");
            }
        } finally {
            rig.access.removeUser("rita");
        }
    }

    @Test
    void theCapOnPlayersAnswers503AndCallersWithoutCredentialsTakeNoPlace() throws Exception {
        RtspServer server = new RtspServer(ServerSettings.loopback().withMaxPlayers(2), rig.hub, rig.access);
        server.start();
        String url = "rtsp://" + RtspRig.VIEWER + ":" + RtspRig.VIEWER_PASSWORD + "@127.0.0.1:" + server.port()
                + "/capped";
        try (RtspServer.Registration mount = server.addMount(MountSpec.hub("capped", "/capped", "cam", null, null,
                false)); Clients.Player first = Clients.Player.decode(url, "tcp")) {
            first.awaitFrames("the first player plays", 5, Duration.ofSeconds(30));
            for (int i = 0; i < 5; i++) {
                try (RawRtsp anonymous = new RawRtsp(server.port(), 10_000)) {
                    assertEquals(401, anonymous.request("DESCRIBE", "rtsp://127.0.0.1:" + server.port() + "/capped",
                            "Accept: application/sdp").status());
                }
            }
            assertEquals(1, server.players(), "callers without credentials hold no place");
            try (Clients.Player second = Clients.Player.decode(url, "udp")) {
                second.awaitFrames("the second player plays", 5, Duration.ofSeconds(30));
                assertEquals(2, server.players());
                assertEquals(2, server.maxPlayers());

                try (RawRtsp third = new RawRtsp(server.port(), 10_000)) {
                    assertEquals(503, third.request("DESCRIBE", url, "Accept: application/sdp").status());
                }
                Clients.Result ffprobe = ffprobe(url);
                assertNotEquals(0, ffprobe.exitCode());
                assertTrue(ffprobe.output().contains("503 Service Unavailable"), ffprobe.output());
                assertEquals(2, server.players());
            }
            await("the second player's place is free").atMost(Duration.ofSeconds(15))
                    .until(() -> server.players() == 1);
            try (RawRtsp third = new RawRtsp(server.port(), 15_000)) {
                assertEquals(200, third.play(url).status(), "a place was free again");
                assertEquals(2, server.players());
            }
        } finally {
            server.close();
        }
    }

    @Test
    void rtspsServesTheMountsWithTheDeviceCertificate(@TempDir Path directory) throws Exception {
        PkiFiles files = new PkiFiles(directory.resolve("pki"));
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(files, "device");
        ServerCertificate issued = ServerCertificates.issue(ca, SubjectAltNames.parse("localhost, 127.0.0.1"));
        issued.writeTo(files, "keystore-pass", ServerCertificates.DEFAULT_ALIAS);
        TlsMaterial material = new PemMaterial(files);

        int tlsPort = freePort();
        RtspServer server = new RtspServer(ServerSettings.loopback().withTlsPort(tlsPort), rig.hub, rig.access);
        server.start();
        try (RtspServer.Registration mount = server.addMount(MountSpec.hub("secure", "/secure", "cam", null, null,
                false))) {
            await("RTSPS waits for the certificate").atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(
                    server.tlsProblem()).contains("waiting for the device certificate (feature pistream-pki)"));
            server.useCertificate(material);
            await("RTSPS listens").atMost(Duration.ofSeconds(10)).until(() -> server.tlsProblem() == null);
            assertEquals(tlsPort, server.tlsPort());
            assertEquals(issued.serialNumber(), servedCertificate(tlsPort).getSerialNumber());

            String url = "rtsps://" + RtspRig.VIEWER + ":" + RtspRig.VIEWER_PASSWORD + "@127.0.0.1:" + tlsPort
                    + "/secure";
            // rtspsrc in this JVM, trusting nothing but the device's CA and checking the host name
            try (InProcessPlayer player = InProcessPlayer.start(url, files.caCertificate())) {
                await("rtspsrc decodes over TLS").atMost(Duration.ofSeconds(30)).until(() -> player.frames() >= 30);
                RtspClient client = server.clients().stream().filter(c -> "/secure".equals(c.path())).findFirst()
                        .orElseThrow();
                assertTrue(client.secure());
                assertEquals(RtspRig.VIEWER, client.user());
            }
            // gst-launch-1.0 cannot set a CA: validation off. It asks for UDP first, is answered 461 (media stays
            // in the TLS connection) and goes on over TCP by itself.
            Clients.Result launched = Clients.run(30_000, "gst-launch-1.0", "-v", "rtspsrc", "location=" + url,
                    "tls-validation-flags=0", "latency=0", "!", "rtph264depay", "!", "avdec_h264",
                    "output-corrupt=false", "!", "fakesink", "name=sink", "silent=false", "num-buffers=30");
            assertTrue(Clients.playedToTheEnd(launched), Clients.tail(launched.output()));
            assertEquals(30, Clients.decodedFrames(launched.output()));
            try (RawRtsp udp = new RawRtsp(server.port(), 10_000)) {
                assertEquals(200, udp.play(url.replace("rtsps://", "rtsp://").replace(":" + tlsPort + "/",
                        ":" + server.port() + "/"), freePort()).status(), "plain RTSP still offers UDP");
            }
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(url, "tcp"), "ffprobe rtsps://");

            Clients.Result bare = ffprobe("rtsps://127.0.0.1:" + tlsPort + "/secure");
            assertNotEquals(0, bare.exitCode());
            assertTrue(bare.output().contains("401 Unauthorized"), "credentials over TLS too: " + bare.output());
            assertEquals(List.of("h264"), Clients.ffprobeCodecs("rtsp://" + RtspRig.VIEWER + ":"
                    + RtspRig.VIEWER_PASSWORD + "@127.0.0.1:" + server.port() + "/secure", "tcp"),
                    "the same mount over plain RTSP");

            // The pki bundle re-issues the certificate into the same files: new connections get it, no restart.
            ServerCertificate renewed = ServerCertificates.issue(ca, SubjectAltNames.parse("localhost, 127.0.0.1"));
            renewed.writeTo(files, "keystore-pass", ServerCertificates.DEFAULT_ALIAS);
            server.useCertificate(material);
            await("the renewed certificate is served").atMost(Duration.ofSeconds(10))
                    .until(() -> servedCertificate(tlsPort).getSerialNumber().equals(renewed.serialNumber()));
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(url, "tcp"));
        } finally {
            server.close();
        }
        await("the RTSPS players are gone with the server").atMost(Duration.ofSeconds(10))
                .until(() -> server.clients().stream().noneMatch(RtspClient::secure));
    }

    @Test
    void withAuthenticationOffEveryoneIsServedWithoutCredentials() throws Exception {
        TestAccessControl open = new TestAccessControl().user(RtspRig.VIEWER, RtspRig.VIEWER_PASSWORD, Role.VIEWER);
        open.enforce(false);
        RtspServer server = new RtspServer(ServerSettings.loopback(), rig.hub, open);
        server.start();
        String bare = "rtsp://127.0.0.1:" + server.port();
        try (RtspServer.Registration hub = server.addMount(MountSpec.hub("open", "/open", "cam", null, null, false));
                RtspServer.Registration launch = server.addMount(MountSpec.launch("openlaunch", "/openlaunch",
                        RtspRig.TEST_LAUNCH, false))) {
            assertFalse(server.credentialsRequired());
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(bare + "/open", "tcp"));
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(bare + "/openlaunch", "tcp"), "as before users");
            Clients.Result result = Clients.run(30_000, Clients.decodeCommand(bare + "/open", "udp", 30));
            assertTrue(Clients.playedToTheEnd(result), Clients.tail(result.output()));

            changeUsers(server, () -> open.enforce(true)); // auth switched back on: the next request is challenged
            assertEquals(401, describe(bare + "/open", server.port()));
            assertTrue(server.credentialsRequired());
            assertEquals(200, describe("rtsp://" + RtspRig.VIEWER + ":" + RtspRig.VIEWER_PASSWORD + "@127.0.0.1:"
                    + server.port() + "/open", server.port()));
        } finally {
            server.close();
        }
        assertEquals(0, open.listeners(), "the server stopped following the users");
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /** Changes the users and waits until the server loaded them (it does so on its control thread). */
    private static void changeUsers(RtspServer server, Runnable change) {
        int before = server.loginLoads();
        change.run();
        await("the server loads the users").atMost(Duration.ofSeconds(10)).until(() -> server.loginLoads() > before);
    }

    private static int describe(String url) throws Exception {
        return describe(url, rig.server.port());
    }

    private static int describe(String url, int port) throws Exception {
        try (RawRtsp client = new RawRtsp(port, 10_000)) {
            return client.request("DESCRIBE", url, "Accept: application/sdp").status();
        }
    }

    private static Clients.Result ffprobe(String url) throws Exception {
        return Clients.run(30_000, "ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_streams", url);
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The certificate a TLS handshake with the port presents (checked by nothing: we only look at it). */
    private static X509Certificate servedCertificate(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        // Closed under TLS: closing the TLS socket would wait for a close_notify the server never sends.
        try (Socket plain = new Socket(LOOPBACK, port)) {
            plain.setSoTimeout(5000);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, LOOPBACK, port, false);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /** The device's PEM files, as the pki bundle's service gives them. */
    private record PemMaterial(PkiFiles files) implements TlsMaterial {
        @Override
        public Path keystorePath() {
            return files.keystore();
        }

        @Override
        public String keystorePassword() {
            return "keystore-pass";
        }

        @Override
        public String keyAlias() {
            return ServerCertificates.DEFAULT_ALIAS;
        }

        @Override
        public Path caCertificatePath() {
            return files.caCertificate();
        }

        @Override
        public Path certificatePemPath() {
            return files.serverCertificate();
        }

        @Override
        public Path privateKeyPemPath() {
            return files.serverKey();
        }
    }

}
