package io.pistream.vp8.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;

import org.junit.jupiter.api.Test;

import io.pistream.api.StreamStatus;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.internal.GStreamerRuntimeComponent;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.Configs;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestPatternSource;

class Vp8EncoderTest {

    @Test
    void encodesVp8ThroughTheHub() throws Exception {
        MediaHubCore hub = MediaHubCore.create(200);
        try {
            Vp8Encoder encoder = new Vp8Encoder(new GStreamerRuntimeComponent(),
                    Configs.of(Vp8Config.class, Map.of("bitrate", "800")));
            assertTrue(encoder.isAvailable());
            assertEquals("vp8enc 800 kbit/s", encoder.description());
            hub.addSource(new TestPatternSource("camera", 320, 240, 30));
            hub.addEncoder(encoder, 0);
            CountingSink sink = new CountingSink();
            try (Subscription subscription = hub.subscribe("camera", "VP8", sink)) {
                await("30 VP8 frames arrive").atMost(Duration.ofMillis(10_000)).until(() -> sink.buffers() >= 30);
                assertTrue(sink.firstWasKeyFrame());
                assertTrue(sink.caps().startsWith("video/x-vp8"), sink.caps());
            }
        } finally {
            hub.close();
        }
    }

    @Test
    void aLowerTierIsEncodedAtItsOwnBitrate() throws Exception {
        Vp8Encoder encoder = new Vp8Encoder(new GStreamerRuntimeComponent(),
                Configs.of(Vp8Config.class, Map.of("bitrate", "1200")));
        assertEquals(1_200_000, vp8enc(encoder.createElement("video/x-raw")).get("target-bitrate"));
        assertEquals(150_000, vp8enc(encoder.createElement("video/x-raw", 150)).get("target-bitrate"));
        MediaHubCore hub = MediaHubCore.create(200);
        try {
            // 640x360: the ladder's 320x180 is its tier 1
            hub.addSource(new TestPatternSource("camera", 640, 360, 15, "snow"));
            hub.addEncoder(encoder, 0);
            CountingSink sink = new CountingSink();
            try (Subscription subscription = hub.subscribe("camera", "VP8", 1, sink)) {
                await("the tier's bitrate is measured").atMost(Duration.ofSeconds(30)).until(() -> sink.buffers() > 15
                        && hub.streams().get(0).encoders().get(0).bitrate() > 0);
                StreamStatus.EncoderStatus status = hub.streams().get(0).encoders().get(0);
                assertEquals(List.of(1, 320, 180, 150), List.of(status.tier(), status.width(), status.height(),
                        status.targetKbps()), status.toString());
                System.out.printf("VP8 320x180 tier (150 kbit/s): %d bit/s measured%n", status.bitrate());
                assertTrue(status.bitrate() < 150_000 * 2.5, status.toString());
            }
        } finally {
            hub.close();
        }
    }

    private static Element vp8enc(Element built) {
        return ((Bin) built).getElements().stream().filter(element -> element.getFactory().getName().equals("vp8enc"))
                .findFirst().orElseThrow();
    }

    @Test
    void badValuesFallBackToTheDefaults() {
        Vp8Encoder encoder = new Vp8Encoder(new GStreamerRuntimeComponent(),
                Configs.of(Vp8Config.class, Map.of("bitrate", "5", "cpu.used", "99")));
        assertEquals("vp8enc 2000 kbit/s", encoder.description());
    }

    @Test
    void aConfigurationDeliveredAgainKeepsTheEncoderAndAChangedOneShowsInItsDescription() {
        Vp8Encoder encoder = new Vp8Encoder(new GStreamerRuntimeComponent(),
                Configs.of(Vp8Config.class, Map.of("bitrate", "800")));
        encoder.modified(Configs.of(Vp8Config.class, Map.of("bitrate", "800")));
        assertEquals("vp8enc 800 kbit/s", encoder.description(), "the hub keeps an encoder whose description stays");
        encoder.modified(Configs.of(Vp8Config.class, Map.of("bitrate", "800", "keyframe.interval", "30")));
        assertEquals("vp8enc 800 kbit/s, key frame every 30 frames, cpu-used 4, 2 threads", encoder.description());
    }
}
