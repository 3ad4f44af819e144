package io.pistream.gstreamer.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pistream.api.Codecs;
import io.pistream.api.MediaException;
import io.pistream.api.StreamStatus;
import io.pistream.api.Subscription;
import io.pistream.api.Tier;
import io.pistream.gstreamer.testing.Configs;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.gstreamer.testing.TestToneSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The quality ladder with real pipelines: a 1280x720 test pattern, x264 at the top and at smaller tiers. */
class MediaHubLadderTest {

    private static final long LINGER_MILLIS = 300;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int TOP = 0;
    private static final int SMALLEST = 2; // 320x180 at 150 kbit/s in the default ladder

    private MediaHubCore hub;
    private final List<Subscription> subscriptions = new ArrayList<>();

    @BeforeAll
    static void initGStreamer() {
        GstInit.ensure();
    }

    @AfterEach
    void closeHub() {
        subscriptions.forEach(Subscription::close);
        if (hub != null) {
            hub.close();
        }
    }

    private void newHub(String pattern, int keyFrameInterval) {
        hub = new MediaHubCore(new HubSettings(LINGER_MILLIS, 100, 2000));
        hub.addEncoder(TestEncoders.h264(keyFrameInterval), 0);
        hub.addSource(new TestPatternSource("cam", 1280, 720, 15, pattern));
    }

    private CountingSink subscribe(int tier) throws MediaException {
        CountingSink sink = new CountingSink();
        subscriptions.add(hub.subscribe("cam", Codecs.H264, tier, sink));
        return sink;
    }

    private StreamStatus.EncoderStatus encoder(int tier) {
        return hub.streams().get(0).encoders().stream().filter(encoder -> encoder.tier() == tier).findFirst()
                .orElseThrow(() -> new AssertionError("no running tier " + tier + ": " + hub.streams()));
    }

    @Test
    void eachTierIsEncodedOnceAtItsSizeAndBitrateAndStopsWithItsLastSubscriber() throws Exception {
        // noise: the hardest picture to compress, so each encoder spends the bitrate its tier allows
        newHub("snow", 30);
        List<CountingSink> top = List.of(subscribe(TOP), subscribe(TOP));
        List<CountingSink> small = List.of(subscribe(SMALLEST), subscribe(SMALLEST));
        await("all four subscribers receive pictures").atMost(PATIENCE)
                .until(() -> top.stream().allMatch(sink -> sink.buffers() >= 30)
                        && small.stream().allMatch(sink -> sink.buffers() >= 30));

        List<StreamStatus> streams = hub.streams();
        assertEquals(1, streams.size(), "one capture");
        assertEquals(2, streams.get(0).encoders().size(), "one encoder per tier: " + streams);
        assertEquals(2, count(hub.graph("cam"), "x264enc"), "exactly two x264 encoders in the pipeline");
        assertEquals(1, count(hub.graph("cam"), "videoscale"), "only the smaller tier is scaled");
        for (CountingSink sink : top) {
            assertTrue(sink.firstWasKeyFrame());
            assertEquals(List.of(1280, 720), size(sink.caps()), sink.caps());
        }
        for (CountingSink sink : small) {
            assertTrue(sink.firstWasKeyFrame());
            assertEquals(List.of(320, 180), size(sink.caps()), sink.caps());
        }
        StreamStatus.EncoderStatus topStatus = encoder(TOP);
        StreamStatus.EncoderStatus smallStatus = encoder(SMALLEST);
        assertEquals(List.of(2, 1280, 720, 0), List.of(topStatus.subscribers(), topStatus.width(),
                topStatus.height(), topStatus.targetKbps()));
        assertEquals(List.of(2, 320, 180, 150), List.of(smallStatus.subscribers(), smallStatus.width(),
                smallStatus.height(), smallStatus.targetKbps()));

        long[] before = {top.get(0).bytes(), small.get(0).bytes(), System.nanoTime()};
        Thread.sleep(4_000);
        double seconds = (System.nanoTime() - before[2]) / 1e9;
        double topBytesPerSecond = (top.get(0).bytes() - before[0]) / seconds;
        double smallBytesPerSecond = (small.get(0).bytes() - before[1]) / seconds;
        System.out.printf("ladder: top %.0f B/s (status %d bit/s), 320x180 %.0f B/s (status %d bit/s)%n",
                topBytesPerSecond, encoder(TOP).bitrate(), smallBytesPerSecond, encoder(SMALLEST).bitrate());
        assertTrue(smallBytesPerSecond > 0 && smallBytesPerSecond * 8 < 150_000 * 2.5,
                "the small tier keeps near its 150 kbit/s: " + smallBytesPerSecond + " B/s");
        assertTrue(topBytesPerSecond > 5 * smallBytesPerSecond,
                "the top spends far more: " + topBytesPerSecond + " against " + smallBytesPerSecond + " B/s");

        // the small tier's last subscriber leaves: its branch stops after the linger, the top runs on
        subscriptions.get(2).close();
        Thread.sleep(3 * LINGER_MILLIS);
        assertEquals(2, hub.streams().get(0).encoders().size(), "a subscriber is left on the small tier");
        assertEquals(1, encoder(SMALLEST).subscribers());
        subscriptions.get(3).close();
        await("the small tier stops").atMost(PATIENCE).until(() -> hub.streams().get(0).encoders().size() == 1);
        assertEquals(0, count(hub.graph("cam"), "videoscale"), "its scaler went with it");
        assertEquals(2, encoder(TOP).subscribers());
        long topBuffers = top.get(1).buffers();
        await("the top keeps flowing").atMost(PATIENCE).until(() -> top.get(1).buffers() > topBuffers + 15);
        assertEquals(1, hub.livePipelines(), "the capture was never rebuilt");
    }

    @Test
    void keyFramesAskedForByOneTierAreMadeByItsEncoderOnly() throws Exception {
        // a natural key frame every 300 frames (20 s): within this test every other one was asked for
        newHub("ball", 300);
        CountingSink top = subscribe(TOP);
        await("the top runs").atMost(PATIENCE).until(() -> top.buffers() >= 20);
        long topKeyFrames = encoder(TOP).keyFrames();

        CountingSink small = subscribe(1);
        CountingSink small2 = subscribe(1);
        await("the tier's subscribers get their key frame").atMost(PATIENCE)
                .until(() -> small.buffers() > 5 && small2.buffers() > 5);
        for (int i = 0; i < 3; i++) {
            subscriptions.get(1).requestKeyFrame();
            Thread.sleep(300);
        }
        await("the tier's encoder made the key frames asked for").atMost(PATIENCE)
                .until(() -> encoder(1).keyFrames() >= 3);
        assertEquals(topKeyFrames, encoder(TOP).keyFrames(), "no key frame at the top for the small tier");
        assertEquals(List.of(640, 360), size(small.caps()), small.caps());

        long smallKeyFrames = encoder(1).keyFrames();
        subscriptions.get(0).requestKeyFrame();
        await("the top's encoder makes one").atMost(PATIENCE)
                .until(() -> encoder(TOP).keyFrames() > topKeyFrames);
        Thread.sleep(500);
        assertEquals(smallKeyFrames, encoder(1).keyFrames(), "no key frame in the small tier for the top");
    }

    @Test
    void anUnknownTierIsRefusedClearlyAndStartsNothing() {
        newHub("ball", 30);
        hub.addEncoder(TestEncoders.opus(), 0);
        hub.addSource(new TestToneSource("mic"));
        assertEquals(List.of(new Tier(0, 1280, 720, 0), new Tier(1, 640, 360, 600), new Tier(2, 320, 180, 150)),
                hub.tiers("cam"));
        assertEquals(List.of(Tier.TOP), hub.tiers("mic"));
        assertEquals(List.of(), hub.tiers("nothing"));

        MediaException unknown = assertThrows(MediaException.class, () -> subscribe(3));
        assertEquals("Source 'cam' has no tier 3; its tiers: [0: 1280x720 @ encoder's bitrate, "
                + "1: 640x360 @ 600 kbit/s, 2: 320x180 @ 150 kbit/s]", unknown.getMessage());
        assertTrue(assertThrows(MediaException.class, () -> subscribe(-1)).getMessage().contains("no tier -1"));
        MediaException audio = assertThrows(MediaException.class,
                () -> hub.subscribe("mic", Codecs.OPUS, 1, new CountingSink()));
        assertTrue(audio.getMessage().startsWith("Source 'mic' has no tier 1"), audio.getMessage());
        assertTrue(hub.streams().isEmpty(), "nothing started");
        assertEquals(0, hub.livePipelines());
    }

    @Test
    void aBadLadderIsReportedAndKeepsTheTiersOfferedSoFar() {
        MediaHubComponent component = new MediaHubComponent(new GStreamerRuntimeComponent(),
                Configs.of(HubConfig.class, Map.of("video.tiers", "640x360")));
        try {
            component.addSource(new TestPatternSource("cam", 1280, 720, 15), Map.of());
            assertEquals(3, component.tiers("cam").size(), "a bad ladder at the start: the default one");
            component.modified(Configs.of(HubConfig.class, Map.of("video.tiers", "480x270@300")));
            assertEquals(List.of(new Tier(0, 1280, 720, 0), new Tier(1, 480, 270, 300)), component.tiers("cam"));
            component.modified(Configs.of(HubConfig.class, Map.of("video.tiers", "480x270@300, 960x540@100",
                    "linger.seconds", 20)));
            assertEquals(List.of(new Tier(0, 1280, 720, 0), new Tier(1, 480, 270, 300)), component.tiers("cam"),
                    "a bad ladder later: the tiers offered so far");
            component.modified(Configs.of(HubConfig.class, Map.of("video.tiers", "")));
            assertEquals(List.of(new Tier(0, 1280, 720, 0)), component.tiers("cam"), "empty: the top alone");
        } finally {
            component.deactivate();
        }
    }

    @Test
    void aSourceMayConfigureItsOwnLadder() throws Exception {
        MediaHubComponent component = new MediaHubComponent(new GStreamerRuntimeComponent(),
                Configs.of(HubConfig.class, Map.of()));
        try {
            component.addEncoder(TestEncoders.h264(30), Map.of());
            TestPatternSource own = new TestPatternSource("own", 1280, 720, 15);
            component.addSource(own, Map.of("video.tiers", "480x270@300"));
            component.addSource(new TestPatternSource("bad", 1280, 720, 15), Map.of("video.tiers", "480x270"));
            component.addSource(new TestPatternSource("plain", 1280, 720, 15), Map.of());
            assertEquals(List.of(new Tier(0, 1280, 720, 0), new Tier(1, 480, 270, 300)), component.tiers("own"));
            assertEquals(3, component.tiers("bad").size(), "a bad ladder of its own: the hub's");
            assertEquals(3, component.tiers("plain").size(), "none of its own: the hub's");

            CountingSink sink = new CountingSink();
            try (Subscription subscription = component.subscribe("own", Codecs.H264, 1, sink)) {
                await("its own tier streams").atMost(PATIENCE).until(() -> sink.buffers() > 5);
                assertEquals(List.of(480, 270), size(sink.caps()), sink.caps());
            }
            component.updatedSource(own, Map.of());
            assertEquals(3, component.tiers("own").size(), "its ladder removed from its configuration");
        } finally {
            component.deactivate();
        }
    }

    private static int count(String dot, String factory) {
        // each element is one cluster in the dot graph (its pads are clusters named after it with a suffix)
        Matcher matcher = Pattern.compile("subgraph cluster_" + factory + "\\d+_0x[0-9a-f]+ \\{").matcher(dot);
        int found = 0;
        while (matcher.find()) {
            found++;
        }
        return found;
    }

    private static List<Integer> size(String caps) {
        return List.of(Ladder.size(caps, "width"), Ladder.size(caps, "height"));
    }
}
