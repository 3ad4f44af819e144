package io.pistream.gstreamer.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.pistream.api.Codecs;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The heap is collected once the hub has run no capture for a while: after it started, and after the last capture
 * stopped; never while one runs, and not when a viewer comes back before the time is up. Real pipelines (test
 * pattern, x264); the collection itself is counted, with the time it came and whether a capture ran then.
 */
class MediaHubIdleCollectionTest {

    private static final long LINGER_MILLIS = 200;
    private static final long IDLE_MILLIS = 600;

    /** When each collection came, and how many captures ran at that moment. */
    private record Collection(long atNanos, int capturesRunning) {
    }

    private final List<Collection> collections = new CopyOnWriteArrayList<>();
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

    private void newHub(long idleMillis) {
        hub = new MediaHubCore(new HubSettings(LINGER_MILLIS, 100, 2000, 0, idleMillis),
                () -> collections.add(new Collection(System.nanoTime(), hub.streams().size())));
        hub.addEncoder(TestEncoders.h264(30), 0);
        hub.addSource(new TestPatternSource("cam", 320, 240, 30));
    }

    private Subscription watch(CountingSink sink) throws Exception {
        Subscription subscription = hub.subscribe("cam", Codecs.H264, sink);
        await("frames arrive").atMost(Duration.ofSeconds(20)).until(() -> sink.buffers() >= 5);
        return subscription;
    }

    @Test
    void collectsAfterStartingAndOnceTheLastCaptureStoppedNeverWhileOneRuns() throws Exception {
        newHub(IDLE_MILLIS);
        await("one collection after the hub started").atMost(Duration.ofSeconds(10))
                .until(() -> collections.size() == 1);

        CountingSink sink = new CountingSink();
        Subscription subscription = watch(sink);
        // three idle times with a capture running
        Thread.sleep(3 * IDLE_MILLIS);
        assertEquals(1, collections.size(), "no collection while a capture runs: " + collections);
        assertTrue(sink.buffers() > 30, "the capture kept running: " + sink.buffers() + " frames");

        long leftAt = System.nanoTime();
        subscription.close();
        await("the capture stops after the linger").atMost(Duration.ofSeconds(20))
                .until(() -> hub.streams().isEmpty() && hub.livePipelines() == 0);
        await("one collection once the last capture stopped").atMost(Duration.ofSeconds(10))
                .until(() -> collections.size() == 2);
        Collection idle = collections.get(1);
        assertEquals(0, idle.capturesRunning(), "collected with no capture running");
        assertTrue(Duration.ofNanos(idle.atNanos() - leftAt).toMillis() >= LINGER_MILLIS + IDLE_MILLIS - 50,
                "after the linger and the idle time: " + Duration.ofNanos(idle.atNanos() - leftAt).toMillis() + " ms");
        Thread.sleep(3 * IDLE_MILLIS);
        assertEquals(2, collections.size(), "once per idle time: " + collections);
    }

    @Test
    void aViewerWhoComesBackBeforeTheTimeIsUpPutsTheCollectionOff() throws Exception {
        // long enough for the viewer to come back on a slow machine
        long idleMillis = 1_500;
        newHub(idleMillis);
        await("the collection after the hub started").atMost(Duration.ofSeconds(10))
                .until(() -> collections.size() == 1);
        Subscription first = watch(new CountingSink());
        first.close();
        await("the capture stops after the linger").atMost(Duration.ofSeconds(20))
                .until(() -> hub.streams().isEmpty());
        CountingSink sink = new CountingSink();
        try (Subscription back = watch(sink)) {
            Thread.sleep(2 * idleMillis);
            assertEquals(1, collections.size(), "the viewer came back before the idle time was up: " + collections);
        }
    }

    @Test
    void zeroSwitchesItOff() throws Exception {
        newHub(0);
        watch(new CountingSink()).close();
        await("the capture stops after the linger").atMost(Duration.ofSeconds(20))
                .until(() -> hub.streams().isEmpty());
        Thread.sleep(3 * IDLE_MILLIS);
        assertEquals(List.of(), collections);
    }

    @Test
    void changingTheTimeToZeroDropsACollectionAlreadyDue() throws Exception {
        newHub(2_000);
        hub.updateSettings(new HubSettings(LINGER_MILLIS, 100, 2000, 0, 0));
        Thread.sleep(3_000);
        assertEquals(List.of(), collections);
    }
}
