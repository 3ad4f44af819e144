package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import io.pistream.api.MediaHub;
import io.pistream.api.StreamStatus;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/** Karaf operations on a running distribution: hot deploy of a source bundle, live configuration changes. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OperationsIT extends PistreamTestSupport {

    private final FeaturesService features = liveFeatures();

    @Inject
    @Filter(timeout = 60_000)
    private MediaHub hub;

    @Inject
    @Filter(timeout = 60_000)
    private SessionFactory sessions;

    @Configuration
    public Option[] config() {
        return distribution(new VMOption("-Dpistream.example.bundle=" + System.getProperty("pistream.example.bundle")),
                new VMOption("-Dpistream.archetype.bundle=" + System.getProperty("pistream.archetype.bundle")),
                org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut(
                        "etc/io.pistream.rtsp.cfg", "port", freePort()));
    }

    @Test
    public void droppedSourceBundleIsWatchableAndItsRemovalEndsOnlyItsViewers() throws Exception {
        features.installFeature("rtp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path deploy = Path.of(System.getProperty("karaf.base"), "deploy");
        int cameraPort = freeUdpPort();
        int clockPort = freeUdpPort();
        Files.writeString(etc.resolve("io.pistream.rtp-camera.cfg"), "host = 127.0.0.1\nport = " + cameraPort + "\n");
        Files.writeString(etc.resolve("io.pistream.rtp-clock.cfg"),
                "host = 127.0.0.1\nport = " + clockPort + "\nvideo = clock\n");
        features.installFeature("rtsp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Files.writeString(etc.resolve("io.pistream.rtsp.mount-clock.cfg"), "path = /clock\nvideo = clock\n");
        java.util.Properties rtsp = new java.util.Properties();
        try (var in = Files.newInputStream(etc.resolve("io.pistream.rtsp.cfg"))) {
            rtsp.load(in);
        }
        String clockUrl = rtspUrl("rtsp", VIEWER, rtsp.getProperty("port"), "/clock");
        assertDecodes(cameraPort, 30, "the camera is sent");

        Path dropped = deploy.resolve("example-source.jar");
        Files.copy(Path.of(System.getProperty("pistream.example.bundle")), dropped,
                StandardCopyOption.REPLACE_EXISTING);
        awaitTrue(() -> hub.sources().stream().anyMatch(s -> s.id().equals("clock")), 30_000,
                "the dropped bundle's source appears");
        assertDecodes(clockPort, 30, "the dropped source is watchable with no restart");
        awaitTrue(() -> rtspDecodes(clockUrl), 30_000, "and watchable over RTSP at /clock");

        Files.delete(dropped);
        awaitTrue(() -> hub.sources().stream().noneMatch(s -> s.id().equals("clock")), 30_000,
                "the source leaves with its bundle");
        awaitTrue(() -> hub.streams().stream().noneMatch(s -> s.sourceId().equals("clock")), 10_000,
                "its capture stopped");
        assertDecodes(cameraPort, 30, "the camera's viewer is not disturbed");
        assertFalse("/clock is not served without its source", rtspDecodes(clockUrl));
    }

    /**
     * The bundle of a project made by the source archetype (archetype/src/test/resources/projects/basic), built on its
     * own against the published API, then used the way its README says: dropped into deploy/, configured with
     * etc/PID-NAME.cfg, watched by its id.
     */
    @Test
    public void bundleMadeFromTheArchetypeIsListedAndWatchableOnceDroppedAndConfigured() throws Exception {
        Path bundle = Path.of(System.getProperty("pistream.archetype.bundle"));
        assertTrue("no bundle at " + bundle + ": the archetype module's build (mvn install -pl archetype) makes it",
                Files.isRegularFile(bundle));
        features.installFeature("rtp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path deploy = Path.of(System.getProperty("karaf.base"), "deploy");
        int port = freeUdpPort();

        Path dropped = deploy.resolve("caption-source.jar");
        // the factory PID the archetype named after the generated artifact (com.example.pistream:caption-source)
        Path sourceConfig = etc.resolve("com.example.pistream.caption.source-lobby.cfg");
        Path push = etc.resolve("io.pistream.rtp-lobby.cfg");
        try {
            Files.copy(bundle, dropped, StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(sourceConfig, "name = Lobby caption\ntext = lobby\nwidth = 320\nheight = 240\n");
            Files.writeString(push, "host = 127.0.0.1\nport = " + port + "\nvideo = lobby\n");
            watchUntilTheBundleLeaves(dropped, port);
        } finally {
            Files.deleteIfExists(dropped);
            Files.deleteIfExists(push);
            Files.deleteIfExists(sourceConfig);
        }
    }

    private void watchUntilTheBundleLeaves(Path dropped, int port) throws Exception {
        awaitTrue(() -> hub.sources().stream().anyMatch(s -> s.id().equals("lobby") && s.problem() == null
                && s.rawCaps().contains("width=320")), 30_000, "the hub knows the generated bundle's source 'lobby'");
        awaitTrue(() -> shell("pistream:sources").contains("Lobby caption"), 30_000,
                "pistream:sources lists it by its configured name");
        assertDecodes(port, 30, "the generated source, subscribed by an RTP push, is encoded and decodable");
        String streams = shell("pistream:streams");
        assertTrue(streams, streams.contains("lobby") && streams.contains("H264"));

        Files.delete(dropped);
        awaitTrue(() -> hub.sources().stream().noneMatch(s -> s.id().equals("lobby")), 30_000,
                "the source leaves with its bundle");
        awaitTrue(() -> hub.streams().stream().noneMatch(s -> s.sourceId().equals("lobby")), 10_000,
                "its capture stopped");
    }

    private String shell(String command) {
        try {
            return execute(sessions, command);
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static boolean rtspDecodes(String url) {
        try {
            File log = File.createTempFile("rtsp-player", ".log");
            Process player = new ProcessBuilder("gst-launch-1.0", "rtspsrc", "location=" + url, "latency=0",
                    "!", "rtph264depay", "!", "avdec_h264", "output-corrupt=false", "!", "fakesink", "num-buffers=30")
                    .redirectErrorStream(true).redirectOutput(log).start();
            if (!player.waitFor(20, TimeUnit.SECONDS)) {
                player.destroyForcibly();
                return false;
            }
            // 30 frames decoded up to end of stream; an error while the client tears down afterwards does not count
            return player.exitValue() == 0 || Files.readString(log.toPath()).contains("Got EOS from element");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    public void editedCameraConfigurationRebuildsOnlyThatCapture() throws Exception {
        features.installFeature("rtp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Files.writeString(etc.resolve("io.pistream.camera-side.cfg"), "type = test\nwidth = 320\nheight = 240\n");
        int frontPort = freeUdpPort();
        int sidePort = freeUdpPort();
        Files.writeString(etc.resolve("io.pistream.rtp-front.cfg"), "host = 127.0.0.1\nport = " + frontPort + "\n");
        Files.writeString(etc.resolve("io.pistream.rtp-side.cfg"),
                "host = 127.0.0.1\nport = " + sidePort + "\nvideo = side\n");
        assertDecodes(frontPort, 20, "front is sent");
        assertDecodes(sidePort, 20, "side is sent");
        String sideCaps = caps("side");

        Path front = etc.resolve("io.pistream.camera-default.cfg");
        Files.writeString(front, Files.readString(front).replace("width = 1280", "width = 640")
                .replace("height = 720", "height = 360"));
        awaitTrue(() -> caps("camera") != null && caps("camera").contains("width=(int)640"), 30_000,
                "the camera runs with its new size");
        assertDecodes(frontPort, 20, "the same push keeps sending the camera");
        assertEquals("the other camera's stream was not touched", sideCaps, caps("side"));
        StreamStatus side = stream("side");
        assertEquals(0, side.restarts());
        assertFalse("nothing failed", stream("camera").restarts() > 0);
    }

    private String caps(String source) {
        StreamStatus status = stream(source);
        return status == null || status.encoders().isEmpty() ? null : status.encoders().get(0).caps();
    }

    private StreamStatus stream(String source) {
        return hub.streams().stream().filter(s -> s.sourceId().equals(source)).findFirst().orElse(null);
    }

    private static void assertDecodes(int port, int frames, String what) throws Exception {
        File log = File.createTempFile("receiver", ".log");
        Process receiver = new ProcessBuilder("gst-launch-1.0", "-q", "udpsrc", "port=" + port,
                "caps=application/x-rtp,media=video,clock-rate=90000,encoding-name=H264", "!", "rtph264depay", "!",
                "avdec_h264", "!", "fakesink", "num-buffers=" + frames).redirectErrorStream(true).redirectOutput(log)
                .start();
        try {
            assertTrue(what + ": no " + frames + " frames within 30 s (" + log + ")",
                    receiver.waitFor(30, TimeUnit.SECONDS));
            assertEquals(what + ": receiver failed, see " + log, 0, receiver.exitValue());
        } finally {
            receiver.destroyForcibly();
        }
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
