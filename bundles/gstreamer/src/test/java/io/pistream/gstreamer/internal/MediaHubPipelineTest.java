package io.pistream.gstreamer.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.pistream.api.Codecs;
import io.pistream.api.MediaException;
import io.pistream.api.StreamStatus;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The media hub with real GStreamer pipelines: test pattern, x264 and VP8 encoders. */
class MediaHubPipelineTest {

    private static final long LINGER_MILLIS = 300;

    private MediaHubCore hub;

    @BeforeAll
    static void initGStreamer() {
        GstInit.ensure();
    }

    @AfterEach
    void closeHub() {
        if (hub != null) {
            hub.close();
        }
    }

    private MediaHubCore newHub(TestPatternSource source, int keyFrameInterval) {
        hub = new MediaHubCore(new HubSettings(LINGER_MILLIS, 100, 2000));
        hub.addEncoder(TestEncoders.h264(keyFrameInterval), 0);
        hub.addEncoder(TestEncoders.vp8(), 0);
        hub.addSource(source);
        return hub;
    }

    @Test
    void statusCountsCapturedFramesKeyFramesAndBytes() throws Exception {
        newHub(new TestPatternSource("cam", 320, 240, 30), 10);
        CountingSink sink = new CountingSink();
        try (Subscription subscription = hub.subscribe("cam", Codecs.H264, sink)) {
            await("the frame rate is measured").atMost(Duration.ofMillis(20_000))
                    .until(() -> hub.streams().get(0).framesPerSecond() > 0);
            // what the subscriber got, read before the hub's counts: buffers keep coming, and the hub counts each
            // before the subscriber gets it
            long receivedKeyFrames = sink.keyFrames();
            long receivedBytes = sink.bytes();
            StreamStatus stream = hub.streams().get(0);
            StreamStatus.EncoderStatus encoder = stream.encoders().get(0);
            assertTrue(stream.framesPerSecond() > 20 && stream.framesPerSecond() < 40,
                    "a 30 fps source: " + stream.framesPerSecond());
            assertTrue(stream.frames() >= encoder.buffers(), stream.frames() + " frames, " + encoder.buffers()
                    + " encoded");
            assertTrue(encoder.keyFrames() >= receivedKeyFrames && encoder.keyFrames() >= encoder.buffers() / 10 - 1
                    && encoder.keyFrames() < encoder.buffers(), encoder.keyFrames() + " key frames of "
                    + encoder.buffers() + ", " + receivedKeyFrames + " received");
            assertTrue(encoder.bytes() >= receivedBytes && receivedBytes > 0, encoder.bytes() + " bytes encoded, "
                    + receivedBytes + " received");
        }
    }

    @Test
    void oneEncoderFeedsTenSubscribers() throws Exception {
        newHub(new TestPatternSource("cam", 640, 360, 30), 30);
        List<CountingSink> sinks = new ArrayList<>();
        List<Subscription> subscriptions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CountingSink sink = new CountingSink();
            sinks.add(sink);
            subscriptions.add(hub.subscribe("cam", Codecs.H264, sink));
        }
        await("every subscriber receives 30 H.264 buffers").atMost(Duration.ofMillis(20_000))
                .until(() -> sinks.stream().allMatch(sink -> sink.buffers() >= 30));
        for (CountingSink sink : sinks) {
            assertTrue(sink.firstWasKeyFrame(), "a subscriber's first buffer is a key frame");
            assertTrue(sink.caps().startsWith("video/x-h264"), sink.caps());
            assertTrue(sink.caps().contains("stream-format=(string)byte-stream"), sink.caps());
        }
        List<StreamStatus> streams = hub.streams();
        assertEquals(1, streams.size(), "one capture pipeline");
        assertEquals(1, streams.get(0).encoders().size(), "one encoder");
        StreamStatus.EncoderStatus encoder = streams.get(0).encoders().get(0);
        assertEquals(10, encoder.subscribers());
        assertEquals("PLAYING", streams.get(0).state());
        assertEquals(1, hub.livePipelines());
        // the subscribers first: buffers keep coming, and the hub counts each before handing it out
        List<Long> received = sinks.stream().map(CountingSink::buffers).toList();
        long produced = hub.streams().get(0).encoders().get(0).buffers();
        for (long buffers : received) {
            assertTrue(buffers <= produced, "no subscriber gets more buffers than were encoded: " + buffers + " > "
                    + produced);
        }

        subscriptions.forEach(Subscription::close);
        await("the capture stops after the linger once everyone left").atMost(Duration.ofMillis(20_000))
                .until(() -> hub.streams().isEmpty() && hub.livePipelines() == 0);
    }

    @Test
    void lateSubscriberStartsAtAForcedKeyFrame() throws Exception {
        // Key frames every 10 s: only a forced key frame gets a late subscriber a picture quickly.
        newHub(new TestPatternSource("cam", 320, 240, 30), 300);
        CountingSink first = new CountingSink();
        try (Subscription ignored = hub.subscribe("cam", Codecs.H264, first)) {
            await("the first subscriber is running").atMost(Duration.ofMillis(20_000))
                    .until(() -> first.buffers() >= 45);
            long keyFramesBefore = first.keyFrames();
            CountingSink late = new CountingSink();
            long subscribed = System.nanoTime();
            try (Subscription lateSubscription = hub.subscribe("cam", Codecs.H264, late)) {
                // the next natural key frame is more than 8 s away: a picture within 6 s, however loaded the
                // machine, can only come from a forced one
                await("the late subscriber gets a picture").atMost(Duration.ofMillis(6_000))
                        .until(() -> late.buffers() > 0);
                assertTrue(late.firstWasKeyFrame());
                assertTrue(late.firstBufferNanos() - subscribed < 6_000_000_000L,
                        "first buffer well before the next natural key frame");
                assertTrue(first.keyFrames() > keyFramesBefore, "the shared encoder produced a forced key frame");
            }
        }
    }

    @Test
    void higherRankedEncoderReplacesTheDefaultOne() throws Exception {
        newHub(new TestPatternSource("cam", 320, 240, 30), 30);
        io.pistream.api.Encoder hardware = TestEncoders.h264(15);
        io.pistream.api.Encoder ranked = new io.pistream.api.Encoder() {
            @Override
            public String codec() {
                return hardware.codec();
            }

            @Override
            public io.pistream.api.MediaKind kind() {
                return hardware.kind();
            }

            @Override
            public String description() {
                return "better encoder";
            }

            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public org.freedesktop.gstreamer.Element createElement(String rawCaps) throws MediaException {
                return hardware.createElement(rawCaps);
            }
        };
        hub.addEncoder(ranked, 100);
        CountingSink sink = new CountingSink();
        try (Subscription ignored = hub.subscribe("cam", Codecs.H264, sink)) {
            await("stream running").atMost(Duration.ofMillis(20_000)).until(() -> sink.buffers() > 5);
            assertEquals("better encoder", hub.streams().get(0).encoders().get(0).encoder());
        }
    }

    @Test
    void sourcesLeavingAfterTheHubStoppedChangeNothing() {
        TestPatternSource source = new TestPatternSource("cam", 320, 240, 30);
        newHub(source, 30);
        hub.close();
        hub.removeSource(source); // what DS does with the unbind methods after deactivating the hub
        hub.updateSource(source);
        assertEquals(0, hub.livePipelines());
        hub = null;
    }

    @Test
    void unknownSourceAndCodecAreClearErrors() {
        newHub(new TestPatternSource("cam", 320, 240, 30), 30);
        MediaException unknownSource = assertThrows(MediaException.class,
                () -> hub.subscribe("nope", Codecs.H264, new CountingSink()));
        assertTrue(unknownSource.getMessage().contains("Unknown source 'nope'"), unknownSource.getMessage());
        MediaException noEncoder = assertThrows(MediaException.class,
                () -> hub.subscribe("cam", Codecs.OPUS, new CountingSink()));
        assertTrue(noEncoder.getMessage().contains("No usable OPUS encoder"), noEncoder.getMessage());
        assertTrue(hub.streams().isEmpty());
    }

    @Test
    void twoCodecsShareOneCaptureAndComeAndGoApart() throws Exception {
        newHub(new TestPatternSource("cam", 320, 240, 30), 30);
        CountingSink h264 = new CountingSink();
        CountingSink vp8 = new CountingSink();
        Subscription h264Subscription = hub.subscribe("cam", Codecs.H264, h264);
        await("H.264 flows").atMost(Duration.ofMillis(20_000)).until(() -> h264.buffers() > 10);
        try (Subscription vp8Subscription = hub.subscribe("cam", Codecs.VP8, vp8)) {
            await("VP8 joins the running capture").atMost(Duration.ofMillis(20_000)).until(() -> vp8.buffers() > 10);
            assertTrue(vp8.caps().startsWith("video/x-vp8"), vp8.caps());
            assertEquals(1, hub.streams().size());
            assertEquals(2, hub.streams().get(0).encoders().size());
            h264Subscription.close();
            await("the H.264 branch leaves").atMost(Duration.ofMillis(20_000))
                    .until(() -> hub.streams().get(0).encoders().size() == 1);
            long before = vp8.buffers();
            await("VP8 keeps flowing after H.264 left").atMost(Duration.ofMillis(10_000))
                    .until(() -> vp8.buffers() > before + 15);
            assertEquals(1, hub.livePipelines());
        }
        await("everything stops").atMost(Duration.ofMillis(20_000)).until(() -> hub.livePipelines() == 0);
    }

    @Test
    void pipelineErrorRestartsAndSubscribersResume() throws Exception {
        TestPatternSource source = new TestPatternSource("cam", 320, 240, 30);
        newHub(source, 30);
        CountingSink sink = new CountingSink();
        try (Subscription ignored = hub.subscribe("cam", Codecs.H264, sink)) {
            await("stream running").atMost(Duration.ofMillis(20_000)).until(() -> sink.buffers() >= 20);
            Bin capture = source.lastBuilt();
            Element convert = capture.getElementByName("convert");
            capture.remove(convert); // the camera's pipeline loses an element mid-stream

            await("the failure is noticed").atMost(Duration.ofMillis(10_000))
                    .until(() -> hub.streams().get(0).restarts() >= 1);
            StreamStatus failed = hub.streams().get(0);
            assertNotNull(failed.lastError(), "the error stays visible");
            assertTrue(failed.lastError().contains("pattern"), "the error names the element: " + failed.lastError());
            long afterFailure = sink.buffers();
            await("buffers flow again after the restart").atMost(Duration.ofMillis(20_000))
                    .until(() -> sink.buffers() > afterFailure + 30);
            assertEquals("PLAYING", hub.streams().get(0).state());
            assertEquals(1, hub.livePipelines(), "the broken pipeline was released");
        }
    }

    @Test
    void subscribersComingAndGoingLeaveNothingBehind() throws Exception {
        newHub(new TestPatternSource("cam", 320, 240, 30), 30);
        // Warm up once so that GStreamer's lazily created threads and plugins count in the baseline.
        CountingSink warmup = new CountingSink();
        try (Subscription ignored = hub.subscribe("cam", Codecs.H264, warmup)) {
            await("warm-up").atMost(Duration.ofMillis(20_000)).until(() -> warmup.buffers() > 5);
        }
        try (Subscription ignored = hub.subscribe("cam", Codecs.VP8, new CountingSink())) {
            Thread.sleep(500);
        }
        await("warm-up stopped").atMost(Duration.ofMillis(20_000)).until(() -> hub.livePipelines() == 0);
        Thread.sleep(1000);
        int baselineThreads = nativeThreads();

        Random random = new Random(42);
        List<Subscription> open = new ArrayList<>();
        List<CountingSink> longLived = new ArrayList<>();
        long end = System.nanoTime() + 30_000_000_000L;
        int subscribed = 0;
        while (System.nanoTime() < end) {
            if (open.isEmpty() || open.size() < 10 && random.nextBoolean()) {
                CountingSink sink = new CountingSink();
                open.add(hub.subscribe("cam", random.nextInt(4) == 0 ? Codecs.VP8 : Codecs.H264, sink));
                longLived.add(sink);
                subscribed++;
            } else {
                int index = random.nextInt(open.size());
                open.remove(index).close();
                longLived.remove(index);
            }
            Thread.sleep(50 + random.nextInt(450));
        }
        assertTrue(subscribed > 40, "the churn really churned: " + subscribed);
        await("every subscriber still open receives buffers").atMost(Duration.ofMillis(10_000))
                .until(() -> longLived.stream().allMatch(sink -> sink.buffers() > 0));
        open.forEach(Subscription::close);

        await("no pipeline or branch left").atMost(Duration.ofMillis(20_000))
                .until(() -> hub.streams().isEmpty() && hub.livePipelines() == 0);
        await("threads back to the baseline of " + baselineThreads).atMost(Duration.ofMillis(30_000))
                .until(() -> nativeThreads() <= baselineThreads + 2);
    }

    private static int nativeThreads() {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
