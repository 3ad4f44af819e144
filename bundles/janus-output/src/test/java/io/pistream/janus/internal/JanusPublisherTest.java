package io.pistream.janus.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.pistream.api.Codecs;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.Configs;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.gstreamer.testing.TestToneSource;
import io.pistream.janus.JanusMountpoint;
import io.pistream.janus.testing.JanusHttp;
import io.pistream.janus.testing.JanusServer;
import io.pistream.janus.testing.JanusViewer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Janus output against Debian's real Janus on loopback: a WebRTC viewer (webrtcbin) watching the mountpoint
 * through Janus decodes the device's video and audio; restarts, refusals and removal as Janus itself reports them.
 */
class JanusPublisherTest {

    @TempDir
    Path folder;

    private MediaHubCore hub;
    private JanusServer janus;
    private final List<JanusPublisher> publishers = new ArrayList<>();
    private final List<JanusViewer> viewers = new ArrayList<>();

    @BeforeAll
    static void janusIsInstalled() {
        assertTrue(JanusServer.installed(), "Debian's janus is needed: apt-get install janus (./pistream.sh deps)");
    }

    @BeforeEach
    void newHub() {
        hub = MediaHubCore.create(200);
        hub.addEncoder(TestEncoders.h264(30), 0);
        hub.addEncoder(TestEncoders.opus(), 0);
        hub.addSource(new TestPatternSource("camera", 640, 360, 30));
        hub.addSource(new TestToneSource("microphone"));
    }

    @AfterEach
    void stopAll() throws Exception {
        viewers.forEach(JanusViewer::close);
        publishers.forEach(JanusPublisher::close);
        if (janus != null) {
            janus.close();
        }
        hub.close();
    }

    private JanusServer janus() throws Exception {
        janus = new JanusServer(Files.createDirectories(folder.resolve("janus"))).start();
        return janus;
    }

    static JanusSettings settings(Map<String, Object> values) {
        Map<String, Object> properties = new HashMap<>(values);
        properties.putIfAbsent("service.pid", "io.pistream.janus~lobby");
        return JanusSettings.from(Configs.of(JanusConfig.class, properties), properties);
    }

    private JanusPublisher publish(Map<String, Object> values) {
        JanusSettings settings = settings(values);
        assertNull(settings.problem());
        JanusPublisher publisher = new JanusPublisher(hub, settings);
        publishers.add(publisher);
        return publisher;
    }

    private JanusViewer watch(long id) throws Exception {
        JanusViewer viewer = new JanusViewer(janus.url(), id).start();
        viewers.add(viewer);
        return viewer;
    }

    private void awaitState(JanusPublisher publisher, String state, int seconds) {
        await("state " + state).atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                .until(() -> state.equals(publisher.status().state()));
    }

    private void awaitDecoding(JanusViewer viewer, long frames, long audio, int seconds) throws IOException {
        try {
            await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                    .until(() -> viewer.videoFrames() >= frames && viewer.audioBuffers() >= audio);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("the viewer through Janus decoded " + viewer.videoFrames() + " frames and "
                    + viewer.audioBuffers() + " audio buffers in " + seconds + " s; events: " + viewer.events()
                    + "\nJanus said:\n" + janus.logTail(40), e);
        }
    }

    @Test
    void viewerThroughJanusDecodesVideoAndAudioAndRemovalDestroysTheMountpoint() throws Exception {
        janus();
        JanusPublisher publisher = publish(Map.of("url", janus.url().toString(), "id", 7L, "audio", "microphone",
                "admin.key", JanusServer.ADMIN_KEY, "secret", "mountpoint-secret", "description", "Front door"));
        awaitState(publisher, "PUBLISHING", 20);
        JanusMountpoint status = publisher.status();
        assertTrue(status.reachable());
        assertTrue(status.videoPort() > 0 && status.audioPort() > 0, status.toString());
        JanusHttp admin = new JanusHttp(janus.url());
        assertEquals("Front door", admin.description(7));

        JanusViewer viewer = watch(7);
        awaitDecoding(viewer, 60, 50, 30);
        System.out.printf("through Janus: first frame %d ms after watch%n", viewer.firstFrameMillis());
        // met on the address of the tests' own network namespace, none of the machine's
        assertTrue(viewer.events().contains("ICE on [10.213.0.1]"), viewer.events().toString());
        // Janus's viewers cost the device one stream: the hub has one subscriber per codec, the RTP push
        assertEquals(1, hub.streams().stream().filter(s -> s.sourceId().equals("camera")).findFirst().orElseThrow()
                .encoders().get(0).subscribers());

        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        io.pistream.janus.command.JanusCommandAccess.print(List.of(publisher.status()),
                new PrintStream(shown, true, StandardCharsets.UTF_8));
        String table = shown.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("PUBLISHING") && table.contains(janus.url().toString())
                && table.contains("camera + microphone"), table);

        publisher.close();
        assertEquals("STOPPED", publisher.status().state());
        assertFalse(admin.mountpoints().contains(7L), "the mountpoint is destroyed with its configuration");
        admin.destroy();
    }

    @Test
    void janusRestartedMidStreamGetsItsMountpointBackAndVideoFlowsAgain() throws Exception {
        janus();
        JanusPublisher publisher = publish(Map.of("url", janus.url().toString(), "id", 8L,
                "admin.key", JanusServer.ADMIN_KEY, "keepalive", 1));
        awaitState(publisher, "PUBLISHING", 20);
        awaitDecoding(watch(8), 30, 0, 30);

        janus.stop();
        await("Janus gone is noticed").atMost(Duration.ofSeconds(10))
                .until(() -> "RETRYING".equals(publisher.status().state()) && !publisher.status().reachable());
        // refused once Janus is gone, or cut off while it was going: either way the status names it
        String lastError = publisher.status().lastError();
        assertTrue(lastError.contains("cannot connect to Janus at " + janus.url())
                || lastError.contains("cannot reach Janus at " + janus.url()), lastError);

        long restarted = System.nanoTime();
        janus.start();
        awaitState(publisher, "PUBLISHING", 40);
        System.out.printf("mountpoint re-created %d ms after Janus restarted%n",
                (System.nanoTime() - restarted) / 1_000_000);
        JanusHttp admin = new JanusHttp(janus.url());
        assertTrue(admin.mountpoints().contains(8L));
        admin.destroy();
        awaitDecoding(watch(8), 30, 0, 30);
    }

    @Test
    void janusForgettingTheSessionOrTheMountpointIsRepairedWithoutARestart() throws Exception {
        janus();
        JanusPublisher publisher = publish(Map.of("url", janus.url().toString(), "id", 9L,
                "admin.key", JanusServer.ADMIN_KEY, "keepalive", 1));
        awaitState(publisher, "PUBLISHING", 20);
        JanusHttp admin = new JanusHttp(janus.url());
        admin.destroyMountpoint(9);
        await("the lost mountpoint is noticed").atMost(Duration.ofSeconds(10))
                .until(() -> publisher.status().lastError() != null);
        assertTrue(publisher.status().lastError().contains("mountpoint 9 is gone from Janus"),
                publisher.status().lastError());
        await("and created again").atMost(Duration.ofSeconds(20)).until(() -> admin.mountpoints().contains(9L)
                && "PUBLISHING".equals(publisher.status().state()));
        admin.destroy();
        awaitDecoding(watch(9), 30, 0, 30);
    }

    @Test
    void unreachableJanusIsReportedWhileTheHubsOtherOutputsKeepGoing() throws Exception {
        CountingSink other = new CountingSink();
        Subscription otherOutput = hub.subscribe("camera", Codecs.H264, other);
        try {
            String url = "http://127.0.0.1:" + freeTcpPort() + "/janus";
            JanusPublisher publisher = publish(Map.of("url", url, "id", 10L, "timeout", 2));
            await().atMost(Duration.ofSeconds(10)).until(() -> publisher.status().lastError() != null);
            JanusMountpoint status = publisher.status();
            assertEquals("RETRYING", status.state());
            assertFalse(status.reachable());
            assertTrue(status.lastError().contains("cannot connect to Janus at " + url), status.lastError());
            assertNull(status.rtp(), "nothing is sent while Janus is away");
            long before = other.buffers();
            Thread.sleep(2000);
            assertTrue(other.buffers() - before >= 45, "the other output still gets about 30 frames a second: "
                    + (other.buffers() - before) + " in 2 s");
            assertNull(other.endReason());
        } finally {
            otherOutput.close();
        }
    }

    @Test
    void wrongAdminKeyAndATakenIdAreReportedAndRetriedUntilFixed() throws Exception {
        janus();
        JanusPublisher wrongKey = publish(Map.of("url", janus.url().toString(), "id", 11L, "admin.key", "guess"));
        JanusHttp admin = new JanusHttp(janus.url());
        admin.createMountpoint(12, JanusServer.ADMIN_KEY);
        JanusPublisher taken = publish(Map.of("url", janus.url().toString(), "id", 12L,
                "admin.key", JanusServer.ADMIN_KEY));
        await().atMost(Duration.ofSeconds(10)).until(() -> wrongKey.status().lastError() != null
                && taken.status().lastError() != null);
        assertEquals("RETRYING", wrongKey.status().state());
        assertTrue(wrongKey.status().reachable());
        assertTrue(wrongKey.status().lastError().contains("Unauthorized (wrong admin_key)"),
                wrongKey.status().lastError());
        assertTrue(taken.status().lastError().contains("mountpoint id 12 is taken on Janus by someone else"),
                taken.status().lastError());
        assertEquals("someone else's", admin.description(12), "the other publisher's mountpoint is left alone");

        admin.destroyMountpoint(12);
        awaitState(taken, "PUBLISHING", 20);
        assertEquals("pistream lobby", admin.description(12));
        assertFalse(admin.mountpoints().contains(11L));
        admin.destroy();
    }

    @Test
    void badConfigurationsAreRefusedNamingKeyAndReason() {
        assertProblem(Map.of("id", 1L), "url: the Janus HTTP API URL is required");
        assertProblem(Map.of("url", "ftp://janus.example/janus", "id", 1L), "url: must be an http:// or https:// URL");
        assertProblem(Map.of("url", "janus.example:8088", "id", 1L), "url: must be an http:// or https:// URL");
        assertProblem(Map.of("url", "http://user:pw@janus.example/janus", "id", 1L), "without user, query or fragment");
        assertProblem(Map.of("url", "http://janus.example/janus"), "id: must be a positive integer");
        assertProblem(Map.of("url", "http://janus.example/janus", "id", -4L), "id: must be a positive integer");
        assertProblem(Map.of("url", "http://janus.example/janus", "id", 1L, "video", ""),
                "video: a video source id is required");
        assertProblem(Map.of("url", "http://janus.example/janus", "id", 1L, "video", "cam ! fakesink"),
                "video: pipeline syntax");
        assertProblem(Map.of("url", "http://janus.example/janus", "id", 1L, "description", "a\nb"),
                "description: must not contain control characters");
        assertProblem(Map.of("url", "http://janus.example/janus", "id", 1L, "keepalive", 90),
                "keepalive: must be between 1 and 55");
        assertProblem(Map.of("url", "http://janus.example/janus", "id", 1L, "audio", "mic", "audio.payload", 96),
                "audio.payload: must differ from the video payload 96");
        JanusSettings fine = settings(Map.of("url", "https://janus.example:8089/janus", "id", 3L));
        assertNull(fine.problem());
        assertEquals("janus.example", fine.rtpHost(), "RTP goes to Janus's host unless rtp.host says otherwise");
        assertEquals("pistream lobby", fine.description());
    }

    private static void assertProblem(Map<String, Object> values, String expected) {
        String problem = settings(values).problem();
        assertNotNull(problem, "refused: " + values);
        assertTrue(problem.contains(expected), problem);
    }

    private static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
