package io.pistream.rtp.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pistream.api.Codecs;
import io.pistream.api.StreamStatus;
import io.pistream.gstreamer.internal.GStreamerRuntimeComponent;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.Configs;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.rtp.push.RtpPush;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RTP push checked with the seed's own receiver, gst-launch-1.0 udpsrc ! rtph264depay ! avdec_h264. */
class RtpPushTest {

    @TempDir
    Path logs;

    private MediaHubCore hub;
    private final List<RtpPush> pushes = new ArrayList<>();
    private final List<Process> receivers = new ArrayList<>();

    @BeforeEach
    void newHub() {
        hub = MediaHubCore.create(200);
        hub.addEncoder(new H264Encoder(new GStreamerRuntimeComponent(), Configs.of(H264Config.class, Map.of())), 0);
        hub.addSource(new TestPatternSource("camera", 640, 360, 30));
    }

    @AfterEach
    void stopAll() {
        receivers.forEach(Process::destroyForcibly);
        pushes.forEach(RtpPush::close);
        hub.close();
    }

    static RtpSettings settings(Map<String, Object> values) {
        Map<String, Object> properties = new HashMap<>(values);
        properties.putIfAbsent("service.pid", "io.pistream.rtp~studio");
        return RtpSettings.from(Configs.of(RtpConfig.class, properties), properties);
    }

    private RtpPush push(int port) {
        RtpSettings settings = settings(Map.of("host", "127.0.0.1", "port", port));
        assertNull(settings.problem());
        RtpPush push = new RtpPush(hub, settings.target());
        pushes.add(push);
        return push;
    }

    /** The seed's receiver; exits 0 once it has decoded {@code frames} frames. */
    private Process receiver(int port, int frames) throws IOException {
        Path log = logs.resolve("receiver-" + port + "-" + System.nanoTime() + ".log");
        Process process = new ProcessBuilder("gst-launch-1.0", "-q", "udpsrc", "port=" + port,
                "caps=application/x-rtp,media=video,clock-rate=90000,encoding-name=H264", "!", "rtph264depay", "!",
                "avdec_h264", "!", "fakesink", "num-buffers=" + frames)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        receivers.add(process);
        return process;
    }

    private static void assertDecoded(Process receiver, long seconds, String what) throws Exception {
        assertTrue(receiver.waitFor(seconds, TimeUnit.SECONDS), what + ": still waiting after " + seconds + " s");
        assertEquals(0, receiver.exitValue(), what + ": the receiver failed");
    }

    @Test
    void seedReceiverDecodesSixtyFramesAlsoWhenStartedLate() throws Exception {
        int port = freeUdpPort();
        Process early = receiver(port, 60);
        push(port);
        assertDecoded(early, 20, "receiver started first decodes 60 frames");
        Thread.sleep(5000);
        long started = System.nanoTime();
        Process late = receiver(port, 60);
        // 60 frames take 2 s at 30 fps; with a key frame and SPS/PPS every second a late receiver starts within 1 s
        assertDecoded(late, 10, "receiver started 5 s late decodes 60 frames");
        System.out.printf("late receiver: 60 frames decoded %d ms after it started%n",
                (System.nanoTime() - started) / 1_000_000);
    }

    @Test
    void audioGoesAsOpusToItsOwnPort() throws Exception {
        hub.addEncoder(io.pistream.gstreamer.testing.TestEncoders.opus(), 0);
        hub.addSource(new io.pistream.gstreamer.testing.TestToneSource("microphone"));
        int videoPort = freeUdpPort();
        int audioPort = freeUdpPort();
        Process audioReceiver = new ProcessBuilder("gst-launch-1.0", "-q", "udpsrc", "port=" + audioPort,
                "caps=application/x-rtp,media=audio,clock-rate=48000,encoding-name=OPUS", "!", "rtpopusdepay", "!",
                "opusdec", "!", "fakesink", "num-buffers=50").redirectErrorStream(true)
                .redirectOutput(logs.resolve("audio.log").toFile()).start();
        receivers.add(audioReceiver);
        Process videoReceiver = receiver(videoPort, 30);
        RtpSettings settings = settings(Map.of("host", "127.0.0.1", "port", videoPort, "audio", "microphone",
                "audio.port", audioPort));
        assertNull(settings.problem());
        pushes.add(new RtpPush(hub, settings.target()));
        assertDecoded(videoReceiver, 20, "video receiver");
        assertDecoded(audioReceiver, 20, "audio receiver decodes 50 Opus frames");
    }

    @Test
    void twoPushesShareOneCaptureAndOneEncoder() throws Exception {
        int first = freeUdpPort();
        int second = freeUdpPort();
        Process one = receiver(first, 60);
        Process two = receiver(second, 60);
        push(first);
        push(second);
        assertDecoded(one, 20, "first target");
        assertDecoded(two, 20, "second target");
        List<StreamStatus> streams = hub.streams();
        assertEquals(1, streams.size(), "one capture");
        assertEquals(1, streams.get(0).encoders().size(), "one encoder");
        assertEquals(Codecs.H264, streams.get(0).encoders().get(0).codec());
        assertEquals(2, streams.get(0).encoders().get(0).subscribers());
    }

    @Test
    void pushWaitsForItsSourceAndFollowsItWhenItComesBack() throws Exception {
        int port = freeUdpPort();
        RtpSettings settings = settings(Map.of("host", "127.0.0.1", "port", port, "video", "later"));
        RtpPush push = new RtpPush(hub, settings.target());
        pushes.add(push);
        await("waiting for the source").atMost(Duration.ofMillis(30_000)).until(() -> "WAITING".equals(push.state()));
        assertTrue(push.lastError().contains("Unknown source 'later'"), push.lastError());
        TestPatternSource later = new TestPatternSource("later", 320, 240, 30);
        hub.addSource(later);
        assertDecoded(receiver(port, 30), 20, "decodes once the source appears");
        hub.removeSource(later);
        await("waiting again after the source left").atMost(Duration.ofMillis(30_000))
                .until(() -> "WAITING".equals(push.state()));
        hub.addSource(new TestPatternSource("later", 320, 240, 30));
        assertDecoded(receiver(port, 30), 40, "decodes again when the source is back");
    }

    @Test
    void badConfigurationsAreRefusedNamingKeyAndReason() {
        assertProblem(Map.of("host", "127.0.0.1", "port", 70000), "port: must be between 1 and 65535, was 70000");
        assertProblem(Map.of("port", 5000), "host: the receiver's address is required");
        assertProblem(Map.of("host", "127.0.0.1 ! fakesink"), "host: pipeline syntax");
        assertProblem(Map.of("host", "receiver_1.local"),
                "host: must be an IP address or a host name, was 'receiver_1.local'");
        assertProblem(Map.of("host", "192.168.1.300"), "host: must be an IP address or a host name");
        assertProblem(Map.of("host", "10.0.0.1", "video", "cam name=x"), "video: pipeline syntax");
        assertProblem(Map.of("host", "10.0.0.1", "payload", 200), "payload: must be between 96 and 127");
        assertProblem(Map.of("host", "10.0.0.1", "audio", "mic", "audio.port", 5555),
                "audio.port: must differ from port 5555");
    }

    @Test
    void encoderRefusesBadSettingsAndFallsBackToDefaults() {
        H264Settings bad = H264Settings.from(Configs.of(H264Config.class, Map.of("profile", "extreme",
                "bitrate", 5)));
        assertTrue(bad.problem().contains("profile: must be one of"), bad.problem());
        assertTrue(bad.problem().contains("bitrate: must be between 100 and 50000, was 5"), bad.problem());
        H264Encoder encoder = new H264Encoder(new GStreamerRuntimeComponent(), bad);
        assertTrue(encoder.description().contains("2000 kbit/s"), encoder.description());
        assertEquals("x264enc", encoder.element(), "no hardware encoder on this machine: x264enc is preferred next");
    }

    private static void assertProblem(Map<String, Object> values, String expected) {
        String problem = settings(values).problem();
        assertNotNull(problem, "refused: " + values);
        assertTrue(problem.contains(expected), problem);
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
