package io.pistream.rtsp.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.pistream.api.Availability;
import io.pistream.api.AvailabilityWatch;
import io.pistream.api.Codecs;
import io.pistream.api.MediaHub;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.api.StreamStatus;
import io.pistream.gstreamer.testing.ForwardingHub;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The RTSP server with real clients (ffprobe, gst-launch-1.0 rtspsrc, raw sockets) on 127.0.0.1, fed by the media
 * hub from a test pattern and a test tone. One server for the whole class; each test adds its own mounts.
 */
class RtspServerTest {

    /** An admin launch mount, the job of gst-rtsp-server's test-launch. */

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

    @Test
    void ffprobeReportsH264OverTcpAndUdpAtHubAndLaunchMounts() throws Exception {
        for (String path : List.of("/camera", "/test")) {
            for (String transport : List.of("tcp", "udp")) {
                assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url(path), transport), path + " " + transport);
            }
        }
    }

    @Test
    void anAdministratorDisconnectsOnePlayerAndTheOtherPlaysOn() throws Exception {
        try (Clients.Player first = Clients.Player.decode(rig.url("/camera"), "tcp");
                Clients.Player second = Clients.Player.decode(rig.url("/camera"), "tcp")) {
            Clients.Player.awaitFrames("both players decode", 10, Duration.ofMillis(30_000), first, second);
            List<RtspClient> before = rig.server.clients();
            assertEquals(2, before.size(), before.toString());
            assertFalse(rig.server.disconnect("192.0.2.1:9"), "no player there");
            String address = before.get(0).address(); // either player: the list has no order

            assertTrue(rig.server.disconnect(address));

            await("the player is gone from the list").atMost(Duration.ofMillis(10_000))
                    .until(() -> rig.server.clients().stream().noneMatch(c -> c.address().equals(address)));
            assertEquals(1, rig.server.clients().size());
            await("the disconnected player ends").atMost(Duration.ofMillis(10_000))
                    .until(() -> !first.process.isAlive() || !second.process.isAlive());
            Clients.Player other = first.process.isAlive() ? first : second;
            Thread.sleep(500); // the other one would end now too if it had been disconnected as well
            assertTrue(other.process.isAlive(), "only one player was disconnected");
            other.awaitFrames("the other player decodes on", other.frames.get() + 15, Duration.ofMillis(30_000));
        }
    }

    @Test
    void bytesFedIntoAMountGrowWhileAPlayerPlaysAndStopWhenItLeaves() throws Exception {
        try (RtspServer.Registration counted = rig.hubMount("/counted", "cam", "mic", false)) {
            assertEquals(0, rig.server.mediaBytes("counted"), "nothing fed before a player");
            long atTen;
            long atForty;
            try (Clients.Player player = Clients.Player.decode(rig.url("/counted"), "tcp")) {
                player.awaitFrames("the player decodes", 10, Duration.ofMillis(30_000));
                atTen = rig.server.mediaBytes("counted");
                player.awaitFrames("30 more frames", player.frames.get() + 30, Duration.ofMillis(30_000));
                atForty = rig.server.mediaBytes("counted");
            }
            System.out.println("RTSP media bytes: " + atTen + " after 10 frames, " + atForty + " after 40");
            assertTrue(atTen > 1000, "a key frame and more went in: " + atTen);
            assertTrue(atForty > atTen, atTen + " then " + atForty);
            await("the media is gone with its player").atMost(Duration.ofMillis(15_000))
                    .until(() -> mount("counted").medias() == 0);
            long gone = rig.server.mediaBytes("counted");
            Thread.sleep(1000);
            assertEquals(gone, rig.server.mediaBytes("counted"), "nothing is fed without a player");
            assertEquals(0, rig.server.mediaBytes("test"), "a launch mount is not fed by the hub");
            assertEquals(0, rig.server.mediaBytes("no-such-mount"));
        }
    }

    @Test
    void audioMountsServeH264WithOpusOrAac() throws Exception {
        try (RtspServer.Registration av = rig.hubMount("/av", "cam", "mic", false)) {
            for (String transport : List.of("tcp", "udp")) {
                List<String> codecs = Clients.ffprobeCodecs(rig.url("/av"), transport);
                assertEquals(List.of("h264", "opus"), codecs.stream().sorted().toList(), transport);
            }
        }
        rig.addEncoder(TestAudio.aac());
        try (RtspServer.Registration aac = rig.server.addMount(MountSpec.hub("aac", "/aac", "cam", "mic", "aac",
                true))) {
            assertEquals(List.of("aac", "h264"), Clients.ffprobeCodecs(rig.url("/aac"), "tcp").stream().sorted()
                    .toList());
        }
    }

    @Test
    void audioWithoutAnEncoderFallsBackToVideoOnly() throws Exception {
        // No encoder for this codec: the mount serves video and says why there is no audio.
        rig.removeEncoder(rig.opus);
        boolean opusBack = false;
        try (RtspServer.Registration av = rig.hubMount("/noaudio", "cam", "mic", true)) {
            RtspMount mount = mount("noaudio");
            assertEquals("serving", mount.state());
            assertTrue(mount.detail().contains("no OPUS encoder"), mount.detail());
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url("/noaudio"), "tcp"));
            rig.addEncoder(rig.opus);
            opusBack = true;
            await("the hub tells the mount that the encoder appeared").atMost(Duration.ofMillis(10_000))
                    .untilAsserted(() -> assertTrue(
                            mount("noaudio").detail().contains("+ OPUS from 'mic'"),
                            mount("noaudio").detail()));
            assertEquals(List.of("h264", "opus"), Clients.ffprobeCodecs(rig.url("/noaudio"), "tcp").stream()
                    .sorted().toList(), "the mount gets its audio once the encoder appears");
        } finally {
            if (!opusBack) {
                rig.addEncoder(rig.opus);
            }
        }
    }

    @Test
    void rtspsrcDecodes60Frames() throws Exception {
        for (String[] target : new String[][] {{"/camera", "tcp"}, {"/camera", "udp"}, {"/test", "tcp"}}) {
            Clients.Result result = Clients.run(30_000, Clients.decodeCommand(rig.url(target[0]), target[1], 60));
            assertTrue(Clients.playedToTheEnd(result),
                    String.join(" ", target) + ": " + Clients.tail(result.output()));
            assertEquals(60, Clients.decodedFrames(result.output()), String.join(" ", target));
        }
    }

    @Test
    void tenConcurrentClientsShareOneEncoder() throws Exception {
        List<Clients.Player> players = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                players.add(Clients.Player.decode(rig.url("/camera"), i % 2 == 0 ? "tcp" : "udp"));
            }
            await("10 clients decode 30 frames each").atMost(Duration.ofMillis(120_000))
                    .untilAsserted(() -> assertTrue(
                            players.stream().allMatch(player -> player.frames.get() >= 30),
                            framesAndMediasOf(players, "/camera")));

            List<StreamStatus> streams = rig.hub.streams().stream()
                    .filter(stream -> stream.sourceId().equals("cam")).toList();
            assertEquals(1, streams.size(), "one capture of the camera");
            assertEquals(1, streams.get(0).encoders().size(), "one encoder branch: " + streams.get(0));
            StreamStatus.EncoderStatus h264 = streams.get(0).encoders().get(0);
            assertEquals(Codecs.H264, h264.codec());
            assertEquals(10, h264.subscribers(), "each client's media subscribes to the one encoder");

            RtspMount mount = mount("camera");
            assertEquals(10, mount.medias(), "one light media pipeline per client");
            assertEquals(10, mount.clients());
            List<RtspClient> clients = rig.server.clients().stream()
                    .filter(client -> "/camera".equals(client.path())).toList();
            assertEquals(10, clients.size(), clients.toString());
            assertEquals(5, clients.stream().filter(client -> "TCP".equals(client.transport())).count());
            assertEquals(5, clients.stream().filter(client -> "UDP".equals(client.transport())).count());
            assertTrue(clients.stream().allMatch(client -> client.address().matches("127\\.0\\.0\\.1:\\d+")),
                    clients.toString());
        } finally {
            for (Clients.Player player : players) {
                player.close();
            }
        }
        await("the clients are gone and the media released").atMost(Duration.ofMillis(20_000))
                .untilAsserted(() -> assertTrue(
                        rig.server.clients().isEmpty() && mount("camera").medias() == 0,
                        rig.server.clients() + " " + mount("camera")));
    }

    @Test
    void sharedMountHasOneMediaForAllClients() throws Exception {
        List<Clients.Player> players = new ArrayList<>();
        try (RtspServer.Registration shared = rig.hubMount("/shared", "cam", null, true);
                RtspServer.Registration sharedLaunch = rig.launchMount("/sharedtest", RtspRig.TEST_LAUNCH, true)) {
            for (int i = 0; i < 3; i++) {
                players.add(Clients.Player.decode(rig.url("/shared"), i == 0 ? "udp" : "tcp"));
            }
            players.add(Clients.Player.decode(rig.url("/sharedtest"), "tcp"));
            players.add(Clients.Player.decode(rig.url("/sharedtest"), "udp"));
            await("5 clients decode").atMost(Duration.ofMillis(60_000))
                    .untilAsserted(() -> assertTrue(
                            players.stream().allMatch(player -> player.frames.get() > 10),
                            framesOf(players)));
            assertEquals(1, mount("shared").medias());
            assertEquals(3, mount("shared").clients());
            assertEquals(1, mount("sharedtest").medias());
            assertEquals(2, mount("sharedtest").clients());
            assertEquals(1, rig.hub.streams().stream().filter(s -> s.sourceId().equals("cam")).count(),
                    "one capture of the camera");
            StreamStatus.EncoderStatus h264 = rig.branch("cam", Codecs.H264);
            assertNotNull(h264);
            assertEquals(1, h264.subscribers(), "the 3 clients of /shared share one media, hence one subscription");
        } finally {
            for (Clients.Player player : players) {
                player.close();
            }
        }
    }

    @Test
    void unknownPathIs404() throws Exception {
        try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
            assertEquals(200, client.request("OPTIONS", rig.url("/camera")).status());
            assertEquals(404, client.request("DESCRIBE", rig.url("/nope"), "Accept: application/sdp").status());
            assertEquals(404, client.request("DESCRIBE", rig.url("/camera/../test/x"), "Accept: application/sdp")
                    .status());
            assertEquals(200, client.request("DESCRIBE", rig.url("/camera"), "Accept: application/sdp").status(),
                    "the same connection still works");
        }
    }

    @Test
    void describeAnnouncesH264WithItsParameterSets() throws Exception {
        // players that do not wait for in-band SPS/PPS set their decoder up from the SDP
        try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
            RawRtsp.Response describe = client.request("DESCRIBE", rig.url("/camera"), "Accept: application/sdp");
            assertEquals(200, describe.status());
            String sdp = describe.body();
            assertTrue(sdp.contains("m=video ") && sdp.contains("a=rtpmap:96 H264/90000"), sdp);
            assertTrue(sdp.matches("(?s).*a=fmtp:96 [^\r\n]*packetization-mode=1.*"), sdp);
            assertTrue(sdp.matches("(?s).*sprop-parameter-sets=Z[A-Za-z0-9+/=]+,aM[A-Za-z0-9+/=]+.*"),
                    "SPS and PPS in the SDP: " + sdp);
        }
    }

    @Test
    void malformedRequestsDoNotDisturbOtherClients() throws Exception {
        try (Clients.Player player = Clients.Player.decode(rig.url("/camera"), "tcp")) {
            player.awaitFrames("a client plays", 5, Duration.ofMillis(30_000));
            Random random = new Random(7);
            List<byte[]> garbage = new ArrayList<>();
            byte[] noise = new byte[4096];
            random.nextBytes(noise);
            garbage.add(noise);
            garbage.add("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            garbage.add("DESCRIBE rtsp://127.0.0.1/camera RTSP/1.0\r\nCSeq: nope\r\n\r\n".getBytes(
                    StandardCharsets.US_ASCII));
            garbage.add(("SETUP " + rig.url("/camera") + "/stream=9 RTSP/1.0\r\nCSeq: 1\r\nTransport: bogus\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            garbage.add(("PLAY " + rig.url("/camera") + " RTSP/1.0\r\nCSeq: 1\r\nSession: 12345\r\n\r\n").getBytes(
                    StandardCharsets.US_ASCII));
            garbage.add(("ANNOUNCE " + rig.url("/camera") + " RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 100000\r\n\r\n"
                    + "v=0").getBytes(StandardCharsets.US_ASCII));
            garbage.add(("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nX: " + "a".repeat(20_000) + "\r\n\r\n").getBytes(
                    StandardCharsets.US_ASCII));
            garbage.add("$\u0000\u00ff\u00ff".getBytes(StandardCharsets.ISO_8859_1)); // interleaved frame, cut
            garbage.add("DESCRIBE rtsp://127.0.0.1".getBytes(StandardCharsets.US_ASCII)); // cut mid-line
            for (byte[] bytes : garbage) {
                try (RawRtsp bad = new RawRtsp(rig.server.port(), 2000)) {
                    bad.sendRaw(bytes);
                    Thread.sleep(100);
                } catch (java.io.IOException e) {
                    // the server may close such a connection at once: fine
                }
                try (RawRtsp good = new RawRtsp(rig.server.port(), 10_000)) {
                    assertEquals(200, good.request("OPTIONS", rig.url("/camera")).status(),
                            "served after " + new String(bytes, 0, Math.min(bytes.length, 40),
                                    StandardCharsets.ISO_8859_1));
                }
            }
            int before = player.frames.get();
            player.awaitFrames("the playing client keeps decoding", before + 30, Duration.ofMillis(10_000));
            assertTrue(player.process.isAlive());
        }
        assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url("/camera"), "tcp"), "a new client is served");
    }

    @Test
    void removingTheSourceEndsSessionsAndTheMountComesBack() throws Exception {
        TestPatternSource cam2 = new TestPatternSource("cam2", 320, 240, 30);
        rig.addSource(cam2);
        try (RtspServer.Registration mount = rig.hubMount("/cam2", "cam2", null, false);
                Clients.Player tcp = Clients.Player.decode(rig.url("/cam2"), "tcp");
                Clients.Player udp = Clients.Player.decode(rig.url("/cam2"), "udp")) {
            Clients.Player.awaitFrames("both clients decode", 10, Duration.ofMillis(30_000), tcp, udp);

            rig.removeSource(cam2); // the hub ends the stream, as when a camera bundle goes away
            assertTrue(tcp.process.waitFor(15, TimeUnit.SECONDS), "the TCP client ended");
            assertTrue(udp.process.waitFor(15, TimeUnit.SECONDS), "the UDP client ended");
            // end of stream, not an error (a teardown error after the end of stream is the client's own)
            for (Clients.Player player : List.of(tcp, udp)) {
                assertTrue(player.process.exitValue() == 0 || player.output().contains("Got EOS from element"),
                        "end of stream, not an error: " + Clients.tail(player.output()));
            }
            await("their sessions and media are gone").atMost(Duration.ofMillis(15_000))
                    .until(() -> mount("cam2").medias() == 0 && rig.server.clients().stream()
                            .noneMatch(client -> "/cam2".equals(client.path())));

            // The hub also tells the mount that its source is gone: it is withdrawn.
            await("the mount waits for its source").atMost(Duration.ofMillis(10_000))
                    .untilAsserted(() -> assertTrue("waiting".equals(mount("cam2").state()), mount("cam2").toString()));
            try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
                assertEquals(404, client.request("DESCRIBE", rig.url("/cam2"), "Accept: application/sdp").status());
            }

            rig.addSource(cam2);
            await("the mount serves again").atMost(Duration.ofMillis(10_000))
                    .untilAsserted(() -> assertTrue("serving".equals(mount("cam2").state()), mount("cam2").toString()));
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url("/cam2"), "tcp"), "the mount is back");
        } finally {
            rig.removeSource(cam2);
        }
    }

    @Test
    void sourcesWithAProblemOrRenamedAreNotServed() throws Exception {
        String[] id = {"cam3"};
        String[] problem = {"type: unknown camera type 'x'"};
        MediaSource source = new TestPatternSource("cam3", 320, 240, 30) {
            @Override
            public String id() {
                return id[0];
            }

            @Override
            public String problem() {
                return problem[0];
            }
        };
        rig.addSource(source);
        try (RtspServer.Registration mount = rig.hubMount("/cam3", "cam3", null, false)) {
            assertEquals("waiting", mount("cam3").state());
            assertTrue(mount("cam3").detail().contains("cannot run: type: unknown camera type"),
                    mount("cam3").detail());

            problem[0] = null; // the configuration was fixed
            rig.hub.updateSource(source);
            await("the mount serves the fixed source").atMost(Duration.ofMillis(10_000))
                    .untilAsserted(() -> assertTrue("serving".equals(mount("cam3").state()), mount("cam3").toString()));
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url("/cam3"), "tcp"));

            id[0] = "renamed"; // the source now has another id: the mount waits for 'cam3'
            rig.hub.updateSource(source);
            await("the mount waits for 'cam3'").atMost(Duration.ofMillis(10_000))
                    .untilAsserted(() -> assertTrue("waiting".equals(mount("cam3").state()), mount("cam3").toString()));
            assertTrue(mount("cam3").detail().contains("video source 'cam3' is not available"),
                    mount("cam3").detail());
        } finally {
            rig.removeSource(source);
        }
    }

    @Test
    void aClientOfAStreamThatIsNotThereGetsAnErrorAtOnce() throws Exception {
        // The hub said the source could be served, but the subscription fails (the source went away in between):
        // the client must not hang.
        RtspServer server = new RtspServer(ServerSettings.loopback(), new HubPromising("ghost", rig.hub), rig.access);
        server.start();
        try (RtspServer.Registration mount = server.addMount(MountSpec.hub("ghost", "/ghost", "ghost", null, null,
                false)); RawRtsp client = new RawRtsp(server.port(), 15_000)) {
            String url = "rtsp://" + RtspRig.ADMIN + ":" + RtspRig.ADMIN_PASSWORD + "@127.0.0.1:" + server.port()
                    + "/ghost";
            long start = System.nanoTime();
            int status = client.request("DESCRIBE", url, "Accept: application/sdp").status();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(503, status);
            assertTrue(millis < 5000, "answered in " + millis + " ms");
            await("the failed media is released").atMost(Duration.ofMillis(10_000))
                    .untilAsserted(() -> assertTrue(server.mounts().get(0).medias() == 0, server.mounts().toString()));
            assertEquals(200, client.request("OPTIONS", url).status(), "the connection still works");
        } finally {
            server.close();
        }
    }

    /** The rig's hub, except that it calls one source it does not know available. */
    private static final class HubPromising extends ForwardingHub {
        private final String promised;

        HubPromising(String promised, MediaHub hub) {
            super(hub);
            this.promised = promised;
        }

        @Override
        public Availability availability(String sourceId, String codec) {
            return sourceId.equals(promised)
                    ? new Availability(sourceId, codec, Availability.State.AVAILABLE, MediaKind.VIDEO, null)
                    : hub.availability(sourceId, codec);
        }

        @Override
        public AvailabilityWatch watchAvailability(String sourceId, String codec, Consumer<Availability> listener) {
            if (!sourceId.equals(promised)) {
                return hub.watchAvailability(sourceId, codec, listener);
            }
            listener.accept(availability(sourceId, codec));
            return () -> { };
        }
    }

    @Test
    void mountsComeAndGoWithTheirConfiguration() throws Exception {
        RtspServer.Registration hot = rig.hubMount("/hot", "cam", null, true);
        try (Clients.Player player = Clients.Player.decode(rig.url("/hot"), "tcp")) {
            player.awaitFrames("the client plays", 5, Duration.ofMillis(30_000));
            hot.close();
            assertTrue(player.process.waitFor(15, TimeUnit.SECONDS), "the client ended with its mount");
            try (RawRtsp client = new RawRtsp(rig.server.port(), 10_000)) {
                assertEquals(404, client.request("DESCRIBE", rig.url("/hot"), "Accept: application/sdp").status());
            }
        } finally {
            hot.close();
        }

        // A second mount on a taken path is refused, and takes over when the first goes away.
        RtspServer.Registration first = rig.hubMount("/twice", "cam", null, true);
        RtspServer.Registration second = rig.launchMount("/twice", RtspRig.TEST_LAUNCH, false);
        try {
            List<RtspMount> twice = rig.server.mounts().stream().filter(m -> "/twice".equals(m.path())).toList();
            assertEquals(List.of("serving", "refused"), twice.stream().map(RtspMount::state).toList());
            assertTrue(twice.get(1).detail().contains("already served"), twice.get(1).detail());
            first.close();
            RtspMount takenOver = rig.server.mounts().stream().filter(m -> "/twice".equals(m.path())).findFirst()
                    .orElseThrow();
            assertEquals("launch", takenOver.kind());
            assertEquals("serving", takenOver.state());
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void badMountConfigurationIsRefusedWithTheKeyAndOthersKeepServing() throws Exception {
        RtspMountComponent bad = new RtspMountComponent(rig.registry(),
                mountConfig("/../etc", "cam; rm -rf", "", ""), Map.of("service.pid", "io.pistream.rtsp.mount~bad"));
        RtspMountComponent good = new RtspMountComponent(rig.registry(), mountConfig("/good", "cam", "", ""),
                Map.of("service.pid", "io.pistream.rtsp.mount~good"));
        try {
            RtspMount refused = mount("bad");
            assertEquals("refused", refused.state());
            assertTrue(refused.detail().contains("path:") && refused.detail().contains("video:"), refused.detail());
            assertNull(refused.url());
            assertEquals("serving", mount("good").state());
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url("/good"), "tcp"));
            assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url("/camera"), "tcp"));
        } finally {
            bad.deactivate();
            good.deactivate();
        }
        assertTrue(rig.server.mounts().stream().noneMatch(m -> m.name().equals("bad") || m.name().equals("good")));
    }

    @Test
    void aBusyPortIsAClearError() throws Exception {
        int port = rig.server.port();
        RtspServer second = new RtspServer(ServerSettings.loopback().withPort(port), rig.hub, rig.access);
        try {
            RtspServerException error = assertThrows(RtspServerException.class, second::start);
            assertTrue(error.getMessage().contains("port " + port), error.getMessage());
            assertTrue(error.getMessage().contains("in use"), error.getMessage());
            assertFalse(second.running());
            assertEquals(error.getMessage(), second.problem());
        } finally {
            second.close();
        }
        assertEquals(List.of("h264"), Clients.ffprobeCodecs(rig.url("/camera"), "tcp"),
                "the first server still serves");

        // Started while the port is taken, the server listens as soon as the port is free.
        java.net.ServerSocket holder = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress());
        RtspServer late = new RtspServer(ServerSettings.loopback().withPort(holder.getLocalPort()), rig.hub,
                rig.access);
        try {
            late.startOrRetry(200);
            assertFalse(late.running());
            assertTrue(late.problem().contains("port " + holder.getLocalPort()), late.problem());
            holder.close();
            await("the server starts once the port is free").atMost(Duration.ofMillis(10_000))
                    .until(late::running);
            assertNull(late.problem());
        } finally {
            holder.close();
            late.close();
        }
    }

    private static RtspMount mount(String name) {
        return rig.server.mounts().stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }


    static MountConfig mountConfig(String path, String video, String audio, String launch) {
        return new MountConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return MountConfig.class;
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public String video() {
                return video;
            }

            @Override
            public String audio() {
                return audio;
            }

            @Override
            public String audio_codec() {
                return "opus";
            }

            @Override
            public String launch() {
                return launch;
            }

            @Override
            public boolean shared() {
                return true;
            }
        };
    }

    /** The frames each player decoded, and what the first player without any said. */
    private static String framesOf(List<Clients.Player> players) {
        return players.stream().map(player -> player.frames.get()).toList() + players.stream()
                .filter(player -> player.frames.get() == 0).findFirst()
                .map(player -> "; a player without frames " + player.state() + " and said:\n" + player.output())
                .orElse("");
    }

    /** {@link #framesOf} and, when a player has none, what the server knows of its medias and clients. */
    private String framesAndMediasOf(List<Clients.Player> players, String path) {
        String frames = framesOf(players);
        if (players.stream().allMatch(player -> player.frames.get() > 0)) {
            return frames;
        }
        StringBuilder server = new StringBuilder("\nthe server's medias of ").append(path).append(":\n");
        for (MediaFeed feed : rig.server.feeds(path)) {
            server.append("  ").append(feed).append(", pipeline ").append(feed.pipelineState()).append(", ")
                    .append(feed.queuedBuffers()).append(" buffers queued, ").append(feed.deliveredVideoBuffers())
                    .append(" delivered, ").append(feed.skippedFrames()).append(" skipped\n");
        }
        server.append("its clients: ").append(rig.server.clients()).append('\n');
        return server + frames;
    }
}
