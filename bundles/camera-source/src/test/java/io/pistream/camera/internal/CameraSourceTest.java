package io.pistream.camera.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pistream.api.Codecs;
import io.pistream.api.MediaException;
import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.DeviceScan;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.Configs;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestEncoders;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every camera type captured through the media hub and encoded to H.264 with real GStreamer. */
class CameraSourceTest {

    @TempDir
    static Path media;
    static Path video;
    static Path image;

    private MediaHubCore hub;

    @BeforeAll
    static void makeMediaFiles() throws Exception {
        MediaHubCore.create(0).close(); // initialises GStreamer
        video = media.resolve("clip.mp4");
        image = media.resolve("still.png");
        launch("videotestsrc", "num-buffers=45", "!", "video/x-raw,width=320,height=240,framerate=30/1", "!",
                "x264enc", "!", "mp4mux", "!", "filesink", "location=" + video);
        launch("videotestsrc", "num-buffers=1", "pattern=ball", "!", "video/x-raw,width=320,height=240", "!",
                "pngenc", "!", "filesink", "location=" + image);
    }

    private static void launch(String... pipeline) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("gst-launch-1.0", "-q"));
        command.addAll(List.of(pipeline));
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "gst-launch " + command);
    }

    @BeforeEach
    void newHub() {
        hub = MediaHubCore.create(200);
        hub.addEncoder(TestEncoders.h264(30), 0);
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }

    static CameraSettings settings(Map<String, Object> values) {
        Map<String, Object> properties = new HashMap<>(values);
        properties.putIfAbsent("service.pid", "io.pistream.camera~front");
        return CameraSettings.from(Configs.of(CameraConfig.class, properties), properties);
    }

    private CountingSink stream(io.pistream.api.MediaSource source, long buffers) throws Exception {
        hub.addSource(source);
        CountingSink sink = new CountingSink();
        hub.subscribe(source.id(), Codecs.H264, sink);
        await(source.id() + " produces " + buffers + " buffers").atMost(Duration.ofMillis(20_000))
                .until(() -> sink.buffers() >= buffers);
        return sink;
    }

    @Test
    void testPatternProducesVideo() throws Exception {
        CameraSource source = new CameraSource(settings(Map.of("type", "test", "pattern", "ball", "width", 320,
                "height", 240)));
        assertEquals("front", source.id(), "the id defaults to the configuration's name");
        CountingSink sink = stream(source, 30);
        assertTrue(sink.caps().contains("width=(int)320"), sink.caps());
    }

    @Test
    void loopingFilePlaysAgainAndAgain() throws Exception {
        CameraSource source = new CameraSource(settings(Map.of("type", "file", "uri", "file://" + video,
                "width", 320, "height", 240, "loop", true)));
        stream(source, 100); // the file holds 45 frames
        StreamStatus status = hub.streams().get(0);
        assertEquals(0, status.restarts(), "looping is not a failure");
    }

    @Test
    void fileOnceEndsItsSubscriptions() throws Exception {
        CameraSource source = new CameraSource(settings(Map.of("type", "file", "uri", video.toString(),
                "width", 320, "height", 240, "loop", false)));
        hub.addSource(source);
        CountingSink sink = new CountingSink();
        hub.subscribe(source.id(), Codecs.H264, sink);
        await("the subscription ends with the file").atMost(Duration.ofMillis(20_000))
                .until(() -> sink.endReason() != null);
        assertTrue(sink.endReason().contains("reached its end"), sink.endReason());
        assertTrue(sink.buffers() >= 30 && sink.buffers() <= 45, "played once: " + sink.buffers());
        await("nothing left running").atMost(Duration.ofMillis(20_000)).until(() -> hub.livePipelines() == 0);
    }

    @Test
    void stillImageIsLiveVideo() throws Exception {
        CameraSource source = new CameraSource(settings(Map.of("type", "image", "uri", image.toString(),
                "width", 640, "height", 360, "framerate", 15)));
        CountingSink sink = stream(source, 30);
        assertTrue(sink.caps().contains("width=(int)640"), sink.caps());
    }

    @Test
    void autoFallsBackToTheTestPatternWithoutCamera() throws Exception {
        assumeTrue(DeviceScan.find(DeviceScan.VIDEO_SOURCE).isEmpty(), "this machine has a camera");
        CameraSource source = new CameraSource(settings(Map.of("width", 320, "height", 240)));
        Bin bin = (Bin) source.createElement();
        assertNotNull(findByFactory(bin, "videotestsrc"), "auto uses the test pattern");
        stream(source, 20);
    }

    @Test
    void libcameraAndV4l2ElementsAreBuiltFromTheirSettings() throws Exception {
        Bin libcamera = CameraElements.libcamera("cam", settings(Map.of("type", "libcamera",
                "camera-name", "/base/axi/pcie@120000/rp1/i2c@88000/imx708@1a")), null);
        assertEquals("/base/axi/pcie@120000/rp1/i2c@88000/imx708@1a",
                findByFactory(libcamera, "libcamerasrc").get("camera-name"));
        Bin v4l2 = CameraElements.v4l2("cam", settings(Map.of("type", "v4l2", "device", "/dev/video7")), null);
        assertEquals("/dev/video7", findByFactory(v4l2, "v4l2src").get("device"));
    }

    @Test
    void realCamerasStreamWhenPresent() throws Exception {
        List<DeviceScan.DeviceInfo> cameras = DeviceScan.find(DeviceScan.VIDEO_SOURCE);
        assumeTrue(!cameras.isEmpty(), "no libcamera or V4L2 camera on this machine: nothing to capture");
        stream(new CameraSource(settings(Map.of("type", "auto"))), 30);
    }

    @Test
    void fileRemovedWhileStreamingIsRetriedAndReported() throws Exception {
        Path doomed = Files.copy(video, media.resolve("doomed.mp4"));
        CameraSource source = new CameraSource(settings(Map.of("type", "file", "uri", doomed.toString(),
                "width", 320, "height", 240, "loop", true)));
        stream(source, 10);
        Files.delete(doomed);
        await("restarts with back-off").atMost(Duration.ofMillis(20_000))
                .until(() -> hub.streams().get(0).restarts() >= 2);
        // the status names the missing file, not only that the pipeline refused to start
        await("the reason is reported").atMost(Duration.ofMillis(20_000)).until(() -> {
            String error = hub.streams().get(0).lastError();
            return error != null && (error.contains("doomed.mp4") || error.contains("filesrc"));
        });
        StreamStatus status = hub.streams().get(0);
        SourceStatus listed = hub.sources().get(0);
        assertEquals(status.lastError(), listed.problem(), "the sources listing shows why");
    }

    @Test
    void newConfigurationRebuildsOnlyThatCaptureAndKeepsItsViewers() throws Exception {
        CameraSource front = new CameraSource(settings(Map.of("type", "test", "width", 320, "height", 240)));
        CountingSink frontViewer = stream(front, 10);
        io.pistream.gstreamer.testing.TestPatternSource other =
                new io.pistream.gstreamer.testing.TestPatternSource("other", 160, 120, 30);
        CountingSink otherViewer = stream(other, 10);
        Bin otherCapture = other.lastBuilt();

        Map<String, Object> changed = new HashMap<>(Map.of("type", "test", "width", 640, "height", 360,
                "service.pid", "io.pistream.camera~front"));
        front.modified(Configs.of(CameraConfig.class, changed), changed);
        hub.updateSource(front); // what DS does when the service properties change
        await("the viewer gets the new size").atMost(Duration.ofMillis(10_000))
                .until(() -> frontViewer.caps().contains("width=(int)640"));
        long before = frontViewer.buffers();
        await("the same subscription keeps receiving").atMost(Duration.ofMillis(10_000))
                .until(() -> frontViewer.buffers() > before + 20);
        assertNull(frontViewer.endReason(), "the viewer's subscription did not end");
        assertEquals(0, hub.streams().stream().filter(s -> s.sourceId().equals("front")).findFirst().orElseThrow()
                .restarts(), "a new configuration is not a failure");
        assertTrue(other.lastBuilt() == otherCapture, "the other source's capture was not touched");
        long otherBefore = otherViewer.buffers();
        await("the other viewer goes on").atMost(Duration.ofMillis(10_000))
                .until(() -> otherViewer.buffers() > otherBefore + 20);
    }

    @Test
    void badConfigurationsAreRefusedNamingKeyAndReason() {
        assertProblem(Map.of("type", "hologram"), "type: must be one of auto, file, image, libcamera, test, v4l2");
        assertProblem(Map.of("type", "file", "uri", "/nope/missing.mp4"), "uri: file /nope/missing.mp4 does not exist");
        assertProblem(Map.of("width", 100000), "width: must be between 16 and 4096, was 100000");
        assertProblem(Map.of("type", "test", "pattern", "ball ! fakesink"), "pattern: pipeline syntax");
        assertProblem(Map.of("device", "/dev/video0 name=x"), "device: pipeline syntax");
        assertProblem(Map.of("name", "cam ( evil )"), "name: pipeline syntax");
        assertProblem(Map.of("id", "front door"), "id: must be 1 to 64 letters");
        assertNull(settings(Map.of("type", "test")).problem());
    }

    @Test
    void refusedCameraIsListedWithItsProblemAndCannotRun() {
        CameraSource broken = new CameraSource(settings(Map.of("type", "hologram")));
        CameraSource good = new CameraSource(settings(Map.of("id", "good", "type", "test")));
        hub.addSource(broken);
        hub.addSource(good);
        MediaException error = assertThrows(MediaException.class,
                () -> hub.subscribe("front", Codecs.H264, new CountingSink()));
        assertTrue(error.getMessage().contains("type: must be one of"), error.getMessage());
        SourceStatus listed = hub.sources().stream().filter(s -> s.id().equals("front")).findFirst().orElseThrow();
        assertTrue(listed.problem().contains("io.pistream.camera"), listed.problem());
        assertNull(hub.sources().stream().filter(s -> s.id().equals("good")).findFirst().orElseThrow().problem());
    }

    private static void assertProblem(Map<String, Object> values, String expected) {
        String problem = settings(values).problem();
        assertNotNull(problem, "refused: " + values);
        assertTrue(problem.contains(expected), problem);
    }

    private static Element findByFactory(Bin bin, String factory) {
        for (Element element : bin.getElementsRecursive()) {
            if (element.getFactory().getName().equals(factory)) {
                return element;
            }
        }
        return null;
    }
}
