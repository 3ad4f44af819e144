package io.pistream.snapshot.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.imageio.ImageIO;

import io.pistream.api.Codecs;
import io.pistream.api.MediaException;
import io.pistream.api.StreamStatus;
import io.pistream.api.Subscription;
import io.pistream.api.snapshot.SnapshotException;
import io.pistream.api.snapshot.SnapshotException.Reason;
import io.pistream.api.snapshot.Snapshots;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.gstreamer.testing.TestToneSource;

import org.freedesktop.gstreamer.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pictures taken through a real hub from test sources, decoded with ImageIO. */
class SnapshotTest {

    // the time a caller gives a snapshot: generous, a loaded machine is slow to start a capture
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private MediaHubCore hub;
    private SnapshotTaker snapshots;

    @BeforeEach
    void newHub() {
        hub = MediaHubCore.create(1000);
        hub.addEncoder(TestEncoders.h264(30), 0);
        hub.addEncoder(new JpegEncoder(5, 85), 0);
        hub.addSource(new TestPatternSource("camera", 640, 480, 30));
        hub.addSource(new TestToneSource("microphone"));
        snapshots = new SnapshotTaker(hub, 85, 2);
    }

    @AfterEach
    void closeHub() throws InterruptedException {
        hub.close();
    }

    @Test
    void coldSourceStartsOnDemandAndAnswersItsOwnSize() throws Exception {
        assertEquals(0, hub.livePipelines());
        long start = System.nanoTime();
        byte[] jpeg = snapshots.jpeg("camera", 0, 85, TIMEOUT);
        double millis = (System.nanoTime() - start) / 1e6;
        System.out.printf("snapshot of a cold source (capture started on demand): %.0f ms%n", millis);
        BufferedImage image = decode(jpeg);
        assertEquals(640, image.getWidth());
        assertEquals(480, image.getHeight());
        assertTrue(millis < 2000, "a cold source answers within 2 s, took " + millis + " ms");
        // the capture lingers like any subscription, then stops
        assertEquals(1, hub.livePipelines());
        awaitIdle();
    }

    @Test
    void watchedSourceAnswersFromTheRunningCaptureWithoutASecondOne() throws Exception {
        CountingSink viewer = new CountingSink();
        try (Subscription watching = hub.subscribe("camera", Codecs.H264, viewer)) {
            awaitBuffers(viewer);
            List<Double> latencies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                BufferedImage image = decode(snapshots.jpeg("camera", 320, 80, TIMEOUT));
                latencies.add((System.nanoTime() - start) / 1e6);
                assertEquals(320, image.getWidth());
                assertEquals(240, image.getHeight());
                Thread.sleep(100);
            }
            System.out.printf("snapshots of a watched source, scaled to 320 px: %s ms%n",
                    latencies.stream().map(ms -> String.format("%.0f", ms)).toList());
            assertTrue(latencies.stream().allMatch(ms -> ms < 1000), "a watched source answers within 1 s: "
                    + latencies);
            List<StreamStatus> streams = hub.streams();
            assertEquals(1, streams.size(), "one capture: " + streams);
            assertEquals(List.of(Codecs.H264, Codecs.JPEG),
                    streams.get(0).encoders().stream().map(StreamStatus.EncoderStatus::codec).toList());
            assertEquals(1, hub.livePipelines(), "the device was opened once");
        }
    }

    @Test
    void parallelRequestsShareOneCaptureAndOneJpegEncoder() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<byte[]>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int width = i % 2 == 0 ? 0 : 160;
                answers.add(callers.submit(() -> snapshots.jpeg("camera", width, 85, TIMEOUT)));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(i % 2 == 0 ? 640 : 160, decode(answers.get(i).get()).getWidth());
            }
            assertEquals(1, hub.livePipelines());
            assertEquals(1, hub.streams().size());
            assertEquals(1, hub.streams().get(0).encoders().size());
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void neverScaledUpAndQualityChangesTheEncoding() throws Exception {
        assertEquals(640, decode(snapshots.jpeg("camera", Snapshots.MAX_WIDTH, 85, TIMEOUT)).getWidth());
        // noise: detail, so that quality shows in the size
        hub.addSource(new TestPatternSource("snow", 320, 240, 30, "snow"));
        byte[] low = snapshots.jpeg("snow", 0, 10, TIMEOUT);
        byte[] high = snapshots.jpeg("snow", 0, 100, TIMEOUT);
        assertEquals(320, decode(low).getWidth());
        assertEquals(320, decode(high).getWidth());
        assertTrue(low.length * 2 < high.length, "quality 10: " + low.length + " bytes, 100: " + high.length);
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingStarts() {
        for (int width : new int[] {-1, 3841}) {
            assertReason(Reason.BAD_REQUEST, () -> snapshots.jpeg("camera", width, 85, TIMEOUT));
        }
        for (int quality : new int[] {0, 101}) {
            assertReason(Reason.BAD_REQUEST, () -> snapshots.jpeg("camera", 0, quality, TIMEOUT));
        }
        assertReason(Reason.BAD_REQUEST, () -> snapshots.jpeg("camera", 0, 85, Duration.ZERO));
        assertReason(Reason.BAD_REQUEST, () -> snapshots.jpeg("camera", 0, 85, Duration.ofMinutes(5)));
        assertEquals(0, hub.livePipelines());
    }

    @Test
    void unknownAndAudioSources() {
        SnapshotException unknown = assertReason(Reason.UNKNOWN_SOURCE,
                () -> snapshots.jpeg("nope", 0, 85, TIMEOUT));
        assertTrue(unknown.getMessage().contains("nope"), unknown.getMessage());
        assertReason(Reason.NOT_VIDEO, () -> snapshots.jpeg("microphone", 0, 85, TIMEOUT));
        assertEquals(0, hub.livePipelines());
    }

    @Test
    void sourceProblemsAreUnavailableWithTheReason() {
        hub.addSource(new BrokenSource("unplugged", "camera /dev/video7 is missing", false));
        SnapshotException refused = assertReason(Reason.UNAVAILABLE,
                () -> snapshots.jpeg("unplugged", 0, 85, TIMEOUT));
        assertTrue(refused.getMessage().contains("/dev/video7 is missing"), refused.getMessage());

        hub.addSource(new BrokenSource("failing", null, false));
        long start = System.nanoTime();
        SnapshotException failed = assertReason(Reason.UNAVAILABLE,
                () -> snapshots.jpeg("failing", 0, 85, TIMEOUT));
        assertTrue(failed.getMessage().contains("the sensor does not answer"), failed.getMessage());
        assertTrue(System.nanoTime() - start < TIMEOUT.toNanos() / 2, "a failed capture is told at once");
    }

    @Test
    void noPictureInTimeIsATimeout() throws Exception {
        hub.addSource(new BrokenSource("frozen", null, true));
        long start = System.nanoTime();
        assertReason(Reason.TIMEOUT, () -> snapshots.jpeg("frozen", 0, 85, Duration.ofMillis(800)));
        double millis = (System.nanoTime() - start) / 1e6;
        assertTrue(millis >= 790 && millis < 2000, "answered after the timeout: " + millis + " ms");
        // the camera is not disturbed
        assertEquals(640, decode(snapshots.jpeg("camera", 0, 85, TIMEOUT)).getWidth());
    }

    @Test
    void requestsBeyondTheBoundWaitTheirTurnWithinTheirTimeout() throws Exception {
        hub.addSource(new BrokenSource("frozen", null, true));
        SnapshotTaker bounded = new SnapshotTaker(hub, 85, 1, 2);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> holding = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                holding.add(callers.submit(() -> assertReason(Reason.TIMEOUT,
                        () -> bounded.jpeg("frozen", 0, 85, Duration.ofSeconds(3)))));
            }
            Thread.sleep(500); // both wait for a picture that never comes
            SnapshotException busy = assertReason(Reason.TIMEOUT,
                    () -> bounded.jpeg("camera", 0, 85, Duration.ofMillis(300)));
            assertTrue(busy.getMessage().contains("too many pictures are being waited for"), busy.getMessage());
            for (Future<?> held : holding) {
                held.get();
            }
            // their turns over, the next request is answered
            assertEquals(640, decode(bounded.jpeg("camera", 0, 85, TIMEOUT)).getWidth());
        } finally {
            callers.shutdownNow();
        }
    }

    private static SnapshotException assertReason(Reason reason, org.junit.jupiter.api.function.Executable call) {
        SnapshotException error = assertThrows(SnapshotException.class, call);
        assertEquals(reason, error.reason(), error.getMessage());
        return error;
    }

    private static BufferedImage decode(byte[] jpeg) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertTrue(image != null, "a JPEG of " + jpeg.length + " bytes decodes");
        return image;
    }

    private static void awaitBuffers(CountingSink sink) {
        await("the viewer receives H.264").atMost(Duration.ofSeconds(20)).until(() -> sink.buffers() >= 5);
    }

    private void awaitIdle() {
        await("the capture stops after the linger").atMost(Duration.ofSeconds(20))
                .until(() -> hub.livePipelines() == 0);
    }

    /** A video source with a configuration problem, one whose capture fails, or one that never gives a frame. */
    private static final class BrokenSource extends TestPatternSource {
        private final String problem;
        private final boolean frozen;

        BrokenSource(String id, String problem, boolean frozen) {
            super(id, 320, 240, 30);
            this.problem = problem;
            this.frozen = frozen;
        }

        @Override
        public String name() {
            return "broken " + id();
        }

        @Override
        public String problem() {
            return problem;
        }

        @Override
        public Element createElement() throws MediaException {
            if (!frozen) {
                throw new MediaException("the sensor does not answer");
            }
            Element source = Elements.make("videotestsrc", null);
            source.set("is-live", true);
            Element valve = Elements.make("valve", null);
            valve.set("drop", true);
            return Elements.chain("frozen-" + id(), source, Elements.capsFilter(null, rawCaps()), valve);
        }
    }
}
