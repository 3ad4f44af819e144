package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import io.pistream.api.MediaHub;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/** feature:install rtsp serves the default camera at /camera; uninstalling it stops the server and nothing else. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RtspDistributionIT extends PistreamTestSupport {

    private final FeaturesService features = liveFeatures();

    @Inject
    @Filter(timeout = 60_000)
    private MediaHub hub;

    @Configuration
    public Option[] config() {
        return distribution(editConfigurationFilePut("etc/io.pistream.rtsp.cfg", "port", freePort()),
                editConfigurationFilePut("etc/io.pistream.rtsp.cfg", "address", "127.0.0.1"));
    }

    @Test
    public void rtspFeatureServesTheCameraAndLeavesCleanly() throws Exception {
        features.installFeature("camera", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        features.installFeature("rtsp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        assertTrue("the feature ships the /camera mount", Files.exists(etc.resolve("io.pistream.rtsp.mount-camera.cfg")));
        Properties rtsp = new Properties();
        try (InputStream in = Files.newInputStream(etc.resolve("io.pistream.rtsp.cfg"))) {
            rtsp.load(in);
        }
        int port = Integer.parseInt(rtsp.getProperty("port").trim());
        String url = rtspUrl("rtsp", VIEWER, Integer.toString(port), "/camera");
        awaitTrue(() -> run(20, "ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_streams",
                "rtsp://127.0.0.1:" + port + "/camera").contains("401 Unauthorized"), 60_000,
                "a player without credentials is refused (401)");
        awaitTrue(() -> run(20, "ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-show_streams", url)
                .contains("codec_name=h264"), 60_000, "ffprobe reports H.264 at /camera");
        String probe = run(20, "ffprobe", "-v", "error", "-rtsp_transport", "udp", "-show_streams", url);
        assertTrue(probe, probe.contains("codec_name=h264") && probe.contains("codec_name=opus"));
        String decoded = run(30, "gst-launch-1.0", "rtspsrc", "location=" + url, "latency=0", "!",
                "rtph264depay", "!", "avdec_h264", "output-corrupt=false", "!", "fakesink", "num-buffers=60");
        // 60 frames reach the sink's end of stream; a teardown error after that is the client's own doing
        assertTrue("rtspsrc decodes 60 frames: " + decoded, decoded.startsWith("exit 0")
                || decoded.contains("Got EOS from element"));
        // RTSPS, with the device's certificate, serves the same mount
        String secure = rtspUrl("rtsps", VIEWER, rtsp.getProperty("tls.port"), "/camera");
        awaitTrue(() -> run(20, "ffprobe", "-v", "error", "-show_streams", secure).contains("codec_name=h264"),
                30_000, "ffprobe reports H.264 over RTSPS");

        features.uninstallFeature("rtsp", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        awaitTrue(() -> !listening(port), 20_000, "the RTSP server stopped with its feature");
        assertTrue("the cameras installed on their own stay", hub.sources().stream().anyMatch(source -> source.id().equals("camera")));
        assertEquals("and nothing runs for nobody", 0L, hub.streams().stream()
                .flatMap(stream -> stream.encoders().stream()).filter(encoder -> encoder.subscribers() > 0).count());
    }

    private static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs a client; returns "exit N" followed by what it printed. */
    private static String run(int seconds, String... command) {
        try {
            File out = File.createTempFile("client", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timeout " + Files.readString(out.toPath(), StandardCharsets.UTF_8);
            }
            return "exit " + process.exitValue() + "\n" + Files.readString(out.toPath(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return e.toString();
        }
    }
}
