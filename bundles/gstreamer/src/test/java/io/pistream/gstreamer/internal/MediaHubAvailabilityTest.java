package io.pistream.gstreamer.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.pistream.api.Availability;
import io.pistream.api.Availability.State;
import io.pistream.api.AvailabilityWatch;
import io.pistream.api.Codecs;
import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;

import org.freedesktop.gstreamer.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the hub tells outputs about the sources they may serve: the answer of {@code availability}, and the calls
 * of {@code watchAvailability} as sources and encoders come, change and go. No pipeline is built here.
 */
class MediaHubAvailabilityTest {

    private static final long WAIT_SECONDS = 20;

    private final MediaHubCore hub = new MediaHubCore(HubSettings.DEFAULTS);

    @AfterEach
    void closeHub() {
        hub.close();
    }

    @Test
    void availabilitySaysWhatIsMissing() {
        StubSource camera = new StubSource("cam", MediaKind.VIDEO);
        StubSource microphone = new StubSource("mic", MediaKind.AUDIO);
        StubEncoder h264 = new StubEncoder(Codecs.H264, MediaKind.VIDEO, true);

        Availability unknown = hub.availability("cam", Codecs.H264);
        assertEquals(State.NO_SOURCE, unknown.state());
        assertFalse(unknown.available());
        assertNull(unknown.sourceKind());
        assertTrue(unknown.detail().contains("'cam'"), unknown.detail());

        hub.addSource(camera);
        hub.addSource(microphone);
        Availability noEncoder = hub.availability("cam", Codecs.H264);
        assertEquals(State.NO_ENCODER, noEncoder.state());
        assertEquals(MediaKind.VIDEO, noEncoder.sourceKind());
        assertTrue(noEncoder.detail().contains("H264"), noEncoder.detail());

        hub.addEncoder(new StubEncoder(Codecs.H264, MediaKind.VIDEO, false), 5);
        assertEquals(State.NO_ENCODER, hub.availability("cam", Codecs.H264).state(),
                "an encoder whose elements are missing does not count");

        hub.addEncoder(h264, 0);
        Availability available = hub.availability("cam", Codecs.H264);
        assertTrue(available.available());
        assertEquals(new Availability("cam", Codecs.H264, State.AVAILABLE, MediaKind.VIDEO, null), available);

        Availability wrongKind = hub.availability("mic", Codecs.H264);
        assertEquals(State.NO_ENCODER, wrongKind.state(), "H.264 is not made from audio");
        assertEquals(MediaKind.AUDIO, wrongKind.sourceKind());

        camera.problem = "type: unknown camera type 'x'";
        hub.updateSource(camera);
        Availability broken = hub.availability("cam", Codecs.H264);
        assertEquals(State.SOURCE_PROBLEM, broken.state());
        assertEquals("type: unknown camera type 'x'", broken.detail());
    }

    @Test
    void aWatchIsToldNowAndAtEachChangeOnlyOnce() throws Exception {
        BlockingQueue<Availability> told = new LinkedBlockingQueue<>();
        BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        StubSource camera = new StubSource("cam", MediaKind.VIDEO);
        StubEncoder h264 = new StubEncoder(Codecs.H264, MediaKind.VIDEO, true);
        try (AvailabilityWatch watch = hub.watchAvailability("cam", Codecs.H264, availability -> {
            threads.add(Thread.currentThread().getName());
            told.add(availability);
        })) {
            assertEquals(State.NO_SOURCE, next(told).state(), "told at once");

            hub.addSource(camera);
            assertEquals(State.NO_ENCODER, next(told).state());

            // Changes that do not touch cam/H264 are not reported: the next call is the one about the encoder.
            hub.addSource(new StubSource("other", MediaKind.VIDEO));
            hub.addEncoder(new StubEncoder(Codecs.VP8, MediaKind.VIDEO, true), 0);
            hub.addEncoder(h264, 0);
            assertEquals(State.AVAILABLE, next(told).state());

            camera.problem = "device: /dev/video9 does not exist";
            hub.updateSource(camera);
            Availability broken = next(told);
            assertEquals(State.SOURCE_PROBLEM, broken.state());
            assertEquals("device: /dev/video9 does not exist", broken.detail());

            camera.problem = null;
            hub.updateSource(camera);
            assertEquals(State.AVAILABLE, next(told).state());

            hub.removeEncoder(h264);
            assertEquals(State.NO_ENCODER, next(told).state());
            hub.addEncoder(h264, 0);
            assertEquals(State.AVAILABLE, next(told).state());

            hub.removeSource(camera);
            assertEquals(State.NO_SOURCE, next(told).state());
            assertTrue(told.isEmpty(), "one call per change: " + told);
            assertTrue(threads.stream().allMatch("pistream-hub-availability"::equals), threads.toString());
        }
    }

    /**
     * The file installer delivers again the configuration a feature installed: the encoder's service changes, not
     * what it makes, and the outputs relying on it must not see it go and come back (an RTSP mount would be
     * withdrawn for that moment).
     */
    @Test
    void anEncoderWhoseServiceChangesButNotWhatItMakesIsKept() throws Exception {
        BlockingQueue<Availability> told = new LinkedBlockingQueue<>();
        hub.addSource(new StubSource("cam", MediaKind.VIDEO));
        String[] description = {"stub H.264 2000 kbit/s"};
        Encoder h264 = new StubEncoder(Codecs.H264, MediaKind.VIDEO, true) {
            @Override
            public String description() {
                return description[0];
            }
        };
        hub.addEncoder(h264, 0);
        try (AvailabilityWatch watch = hub.watchAvailability("cam", Codecs.H264, told::add)) {
            assertEquals(State.AVAILABLE, next(told).state());

            hub.updateEncoder(h264, 0);
            assertNull(told.poll(1, TimeUnit.SECONDS), "kept: no withdrawal told");

            description[0] = "stub H.264 800 kbit/s";
            hub.updateEncoder(h264, 0);
            // replaced as if it had gone and come back: outputs may see the gap; what counts is the end
            await("available again").atMost(Duration.ofSeconds(WAIT_SECONDS))
                    .until(() -> hub.availability("cam", Codecs.H264).state() == State.AVAILABLE);
            assertTrue(hub.encoderDescriptions(Codecs.H264).contains("stub H.264 800 kbit/s"),
                    hub.encoderDescriptions(Codecs.H264).toString());
        }
    }

    @Test
    void aClosedWatchIsNotCalledAgain() throws Exception {
        BlockingQueue<Availability> closedOne = new LinkedBlockingQueue<>();
        BlockingQueue<Availability> openOne = new LinkedBlockingQueue<>();
        AvailabilityWatch closing = hub.watchAvailability("cam", Codecs.H264, closedOne::add);
        try (AvailabilityWatch open = hub.watchAvailability("cam", Codecs.H264, openOne::add)) {
            assertEquals(State.NO_SOURCE, next(closedOne).state());
            assertEquals(State.NO_SOURCE, next(openOne).state());
            closing.close();
            closing.close(); // twice does nothing

            hub.addSource(new StubSource("cam", MediaKind.VIDEO));
            // Calls are made in order on one thread: once the open watch heard of the change, the closed one
            // would have too.
            assertEquals(State.NO_ENCODER, next(openOne).state());
            assertTrue(closedOne.isEmpty(), "a closed watch was called: " + closedOne);
        }
    }

    @Test
    void aListenerMayCallTheHubAndAFailingOneHarmsNoOther() throws Exception {
        BlockingQueue<Object> told = new LinkedBlockingQueue<>();
        try (AvailabilityWatch failing = hub.watchAvailability("cam", Codecs.H264, availability -> {
            throw new IllegalStateException("listener bug");
        }); AvailabilityWatch calling = hub.watchAvailability("cam", Codecs.H264, availability -> {
            // streams() waits for the hub's control thread: it must not be the thread calling us
            told.add(hub.streams().size() + " streams, " + availability.state());
        })) {
            assertEquals("0 streams, NO_SOURCE", told.poll(WAIT_SECONDS, TimeUnit.SECONDS));
            hub.addSource(new StubSource("cam", MediaKind.VIDEO));
            assertEquals("0 streams, NO_ENCODER", told.poll(WAIT_SECONDS, TimeUnit.SECONDS));
        }
    }

    private static Availability next(BlockingQueue<Availability> told) throws InterruptedException {
        Availability availability = told.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(availability, "no call within " + WAIT_SECONDS + " s");
        return availability;
    }

    private static final class StubSource implements MediaSource {
        private final String id;
        private final MediaKind kind;
        volatile String problem;

        StubSource(String id, MediaKind kind) {
            this.id = id;
            this.kind = kind;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public MediaKind kind() {
            return kind;
        }

        @Override
        public String name() {
            return "stub " + id;
        }

        @Override
        public String rawCaps() {
            return kind == MediaKind.VIDEO ? "video/x-raw" : "audio/x-raw";
        }

        @Override
        public Element createElement() throws MediaException {
            throw new MediaException("a stub builds no element");
        }

        @Override
        public String problem() {
            return problem;
        }
    }

    private static class StubEncoder implements Encoder {
        private final String codec;
        private final MediaKind kind;
        private final boolean available;

        StubEncoder(String codec, MediaKind kind, boolean available) {
            this.codec = codec;
            this.kind = kind;
            this.available = available;
        }

        @Override
        public String codec() {
            return codec;
        }

        @Override
        public MediaKind kind() {
            return kind;
        }

        @Override
        public boolean isAvailable() {
            return available;
        }

        @Override
        public String description() {
            return "stub " + codec;
        }

        @Override
        public Element createElement(String rawCaps) throws MediaException {
            throw new MediaException("a stub builds no element");
        }
    }
}
