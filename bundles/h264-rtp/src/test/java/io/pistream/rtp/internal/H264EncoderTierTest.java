package io.pistream.rtp.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import io.pistream.api.Codecs;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.internal.GStreamerRuntimeComponent;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.Configs;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestPatternSource;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.junit.jupiter.api.Test;

/** The H.264 encoder at the bitrate of a tier of the hub's quality ladder. */
class H264EncoderTierTest {

    private final H264Encoder encoder = new H264Encoder(new GStreamerRuntimeComponent(),
            Configs.of(H264Config.class, Map.of("bitrate", 1500, "keyframe.interval", 60)));

    @Test
    void aTierBitrateReplacesTheConfiguredOneAndNothingElse() throws Exception {
        assertEquals(1500, x264((Bin) encoder.createElement("video/x-raw")).get("bitrate"));
        Element tier = x264((Bin) encoder.createElement("video/x-raw,width=320,height=180", 150));
        assertEquals(150, tier.get("bitrate"));
        assertEquals(60, tier.get("key-int-max"), "the configured key frame interval stays");
    }

    @Test
    void theSmallTierStreamsAtItsBitrateNextToTheTop() throws Exception {
        MediaHubCore hub = MediaHubCore.create(200);
        hub.addEncoder(encoder, 0);
        // noise: each encoder spends all its bitrate. A 640x360 source: its tier 1 is the ladder's 320x180
        hub.addSource(new TestPatternSource("camera", 640, 360, 15, "snow"));
        CountingSink top = new CountingSink();
        CountingSink small = new CountingSink();
        try (Subscription a = hub.subscribe("camera", Codecs.H264, 0, top);
                Subscription b = hub.subscribe("camera", Codecs.H264, 1, small)) {
            await("both tiers stream").atMost(Duration.ofSeconds(30))
                    .until(() -> top.buffers() > 15 && small.buffers() > 15);
            assertTrue(small.caps().contains("width=(int)320, height=(int)180"), small.caps());
            long topBytes = top.bytes();
            long smallBytes = small.bytes();
            Thread.sleep(3_000);
            long topRate = (top.bytes() - topBytes) / 3;
            long smallRate = (small.bytes() - smallBytes) / 3;
            System.out.printf("H.264 tiers: top (1500 kbit/s) %d B/s, 320x180 (150 kbit/s) %d B/s%n", topRate,
                    smallRate);
            assertTrue(smallRate * 8 < 150_000 * 2.5, smallRate + " B/s");
            assertTrue(topRate > 5 * smallRate, topRate + " against " + smallRate + " B/s");
        } finally {
            hub.close();
        }
    }

    private static Element x264(Bin bin) {
        return bin.getElements().stream().filter(element -> element.getFactory().getName().equals("x264enc"))
                .findFirst().orElseThrow();
    }
}
