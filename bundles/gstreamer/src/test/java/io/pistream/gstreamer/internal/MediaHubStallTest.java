package io.pistream.gstreamer.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import io.pistream.api.Codecs;
import io.pistream.api.MediaException;
import io.pistream.api.StreamStatus;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;

import org.freedesktop.gstreamer.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A video capture that starts, posts no error and gives no frame (a hung camera, a stalled demuxer) is rebuilt like
 * a failed one, while a healthy capture next to it is left alone.
 */
class MediaHubStallTest {

    private static final long STALL_MILLIS = 3000;

    private MediaHubCore hub;

    @BeforeAll
    static void initGStreamer() {
        GstInit.ensure();
    }

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.close();
        }
    }

    /** A live test pattern whose frames a closed valve drops before they reach the hub. */
    private static final class SilentSource extends TestPatternSource {
        SilentSource() {
            super("silent", 320, 240, 30);
        }

        @Override
        public Element createElement() throws MediaException {
            Element pattern = Elements.make("videotestsrc", "pattern");
            pattern.set("is-live", true);
            Element valve = Elements.make("valve", "closed");
            valve.set("drop", true);
            return Elements.chain("capture-silent", pattern, valve, Elements.capsFilter("format", rawCaps()));
        }
    }

    @Test
    void aCaptureThatGivesNoFrameIsRebuiltAndAHealthyOneIsNot() throws Exception {
        hub = new MediaHubCore(new HubSettings(300, 40, 640, STALL_MILLIS));
        hub.addEncoder(TestEncoders.h264(30), 0);
        hub.addSource(new SilentSource());
        hub.addSource(new TestPatternSource("camera", 320, 240, 30));
        CountingSink silentViewer = new CountingSink();
        CountingSink cameraViewer = new CountingSink();
        hub.subscribe("silent", Codecs.H264, silentViewer);
        hub.subscribe("camera", Codecs.H264, cameraViewer);

        await("the silent capture is rebuilt twice").atMost(Duration.ofSeconds(30))
                .until(() -> status("silent").restarts() >= 2);
        StreamStatus silent = status("silent");
        assertTrue(silent.lastError().contains("no frame for 3 s"), silent.lastError());
        assertEquals(0, silentViewer.buffers());
        StreamStatus camera = status("camera");
        assertEquals(0, camera.restarts(), "the healthy capture runs on: " + camera);
        assertTrue(cameraViewer.buffers() > 30, "its viewer gets frames: " + cameraViewer.buffers());
    }

    private StreamStatus status(String source) {
        return hub.streams().stream().filter(stream -> stream.sourceId().equals(source)).findFirst().orElseThrow();
    }
}
