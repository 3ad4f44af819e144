package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
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
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/** feature:install rtp with a push configuration dropped into etc/ sends the default camera. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RtpDistributionIT extends PistreamTestSupport {

    private final FeaturesService features = liveFeatures();

    @Inject
    @Filter(timeout = 60_000)
    private MediaHub hub;

    @Inject
    @Filter(timeout = 60_000)
    private SessionFactory sessions;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void rtpFeatureSendsTheDefaultCameraToTheConfiguredReceiver() throws Exception {
        int port;
        try (DatagramSocket socket = new DatagramSocket(0)) {
            port = socket.getLocalPort();
        }
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Files.writeString(etc.resolve("io.pistream.rtp-studio.cfg"), "host = 127.0.0.1\nport = " + port + "\n");
        features.installFeature("rtp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        assertTrue("the feature ships the default camera", Files.exists(etc.resolve("io.pistream.camera-default.cfg")));

        File log = File.createTempFile("receiver", ".log");
        Process receiver = new ProcessBuilder("gst-launch-1.0", "-q", "udpsrc", "port=" + port,
                "caps=application/x-rtp,media=video,clock-rate=90000,encoding-name=H264", "!", "rtph264depay", "!",
                "avdec_h264", "!", "fakesink", "num-buffers=60").redirectErrorStream(true).redirectOutput(log).start();
        try {
            assertTrue("the receiver decodes 60 frames; its output: " + log,
                    receiver.waitFor(60, TimeUnit.SECONDS));
            assertEquals("receiver exit code, see " + log, 0, receiver.exitValue());
        } finally {
            receiver.destroyForcibly();
        }

        List<StreamStatus> streams = hub.streams();
        StreamStatus camera = streams.stream().filter(s -> s.sourceId().equals("camera")).findFirst().orElseThrow();
        assertEquals(1, camera.encoders().size());
        assertEquals(1, camera.encoders().get(0).subscribers());

        String sources = execute(sessions, "pistream:sources");
        assertTrue(sources, sources.contains("camera") && sources.contains("microphone"));
        String streamsTable = execute(sessions, "pistream:streams");
        assertTrue(streamsTable, streamsTable.contains("H264") && streamsTable.contains("PLAYING"));
        String devices = execute(sessions, "pistream:devices");
        assertTrue(devices, devices.contains("No camera or microphone found") || devices.contains("Element"));
    }

    @Test
    public void refusedCameraConfigurationIsShownBySources() throws Exception {
        features.installFeature("camera", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Files.writeString(etc.resolve("io.pistream.camera-broken.cfg"), "type = test\npattern = ball ! fakesink\n");
        awaitTrue(() -> {
            try {
                return execute(sessions, "pistream:sources").contains("pattern: pipeline syntax");
            } catch (Exception e) {
                return false;
            }
        }, 30_000, "pistream:sources shows why 'broken' was refused");
    }
}
