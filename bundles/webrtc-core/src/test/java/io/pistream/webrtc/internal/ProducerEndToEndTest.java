package io.pistream.webrtc.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.api.StreamStatus;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.SessionPipelines;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.session.WebRtcNative;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.testing.ProducerList;
import io.pistream.webrtc.testing.ProducerRig;
import io.pistream.webrtc.testing.SignallingServer;
import io.pistream.webrtc.testing.TestConsumer;
import io.pistream.webrtc.testing.Wait;

/**
 * The producer against viewers made of webrtcbin, through the real signalling server, on 127.0.0.1. The hub
 * runs a test pattern and a tone with VP8, H.264 and Opus encoders.
 */
class ProducerEndToEndTest {

    private static ProducerRig rig;
    private static MediaHubCore hub;
    private static SignallingServer server;
    /** The producer signs in as the device. */
    private static JdkWebSocketConnector connector;
    /** The viewers sign in as a user with the role viewer. */
    private static JdkWebSocketConnector viewers;

    private final List<WebRtcProducer> producers = new ArrayList<>();
    private final List<TestConsumer> consumers = new ArrayList<>();

    @BeforeAll
    static void startHubAndServer() throws Exception {
        rig = ProducerRig.start();
        hub = rig.hub();
        server = rig.server();
        connector = rig.device();
        viewers = rig.viewers();
    }

    @AfterAll
    static void stopHubAndServer() throws Exception {
        rig.close();
    }

    @AfterEach
    void stopPeers() {
        consumers.forEach(TestConsumer::close);
        producers.forEach(WebRtcProducer::close);
    }

    private WebRtcProducer producer(List<RtpCodec> codecs, long connectTimeoutMillis, int maxSessions,
            SignallingServer at, Signaller.Timing timing) throws InterruptedException {
        ProducerSettings settings = ProducerSettings.of("test camera", at.url(),
                new ProducerSession.Plan("camera", codecs, "microphone"),
                SessionSettings.loopback(connectTimeoutMillis), maxSessions);
        WebRtcProducer producer = new WebRtcProducer(settings, hub, connector, timing);
        producers.add(producer);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(producer.peerId() != null, "the producer registers"));
        return producer;
    }

    private WebRtcProducer producer(List<RtpCodec> codecs) throws InterruptedException {
        return producer(codecs, 20_000, 10, server, Signaller.Timing.DEFAULT);
    }

    private TestConsumer consumer(WebRtcProducer producer, TestConsumer.Mode mode, List<String> codecs)
            throws Exception {
        TestConsumer consumer = new TestConsumer(server.url(), producer.peerId(), mode, codecs, viewers);
        consumers.add(consumer);
        return consumer.start();
    }

    private static void assertDecodes(TestConsumer consumer, String videoCodec) throws InterruptedException {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertTrue(consumer.videoFrames() >= 30 && consumer.audioBuffers() >= 25,
                        "decoded " + consumer.videoFrames() + " video frames and " + consumer.audioBuffers()
                                + " audio buffers"));
        assertEquals(videoCodec, consumer.videoCodec());
        assertEquals("OPUS", consumer.audioCodec());
        assertTrue(consumer.firstFrameMillis() > 0 && consumer.firstFrameMillis() < 10_000,
                "first frame after " + consumer.firstFrameMillis() + " ms");
    }

    private static SessionStatus only(WebRtcProducer producer) {
        List<SessionStatus> running = producer.sessions().stream().filter(s -> s.endReason() == null).toList();
        assertEquals(1, running.size(), running.toString());
        return running.get(0);
    }

    private static SessionStatus ended(WebRtcProducer producer, String sessionId) throws InterruptedException {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertTrue(producer.sessions().stream()
                        .anyMatch(s -> s.sessionId().equals(sessionId) && s.endReason() != null),
                        "session " + sessionId + " ends: " + producer.sessions()));
        return producer.sessions().stream().filter(s -> s.sessionId().equals(sessionId)).findFirst().orElseThrow();
    }

    // --- media ------------------------------------------------------------------------------------------------

    @Test
    void viewerDecodesVp8AndOpus() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.VP8, RtpCodec.H264));
        TestConsumer consumer = consumer(producer, TestConsumer.Mode.ANSWER, List.of());
        assertDecodes(consumer, "VP8");
        String offer = consumer.remoteOffer();
        assertTrue(offer.contains("a=rtpmap:96 VP8/90000") && offer.contains("H264/90000"), offer);
        assertTrue(offer.contains("profile-level-id=42e01f") && offer.contains("packetization-mode=1"), offer);
        assertTrue(offer.contains("nack pli") && offer.contains("ccm fir") && offer.contains("rtx/90000"), offer);
        assertTrue(offer.contains("a=sendonly") && offer.contains("OPUS/48000/2"), offer);
        SessionStatus status = only(producer);
        assertEquals("VP8+OPUS", status.codecs());
        assertEquals("STREAMING", status.state());
        assertEquals(consumer.peerId(), status.peerId());
        await().atMost(Duration.ofSeconds(6))
                .untilAsserted(() -> assertTrue(only(producer).bitrate() > 0, "bitrate measured: " + only(producer)));
        System.out.printf("VP8 first decoded frame %d ms after startSession%n", consumer.firstFrameMillis());
    }

    @Test
    void pliFromAViewerAsksTheSharedEncoderForAKeyFrame() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.VP8));
        TestConsumer consumer = consumer(producer, TestConsumer.Mode.ANSWER, List.of());
        assertDecodes(consumer, "VP8");
        long before = producer.keyFrameRequests();
        consumer.requestKeyFrame();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertTrue(producer.keyFrameRequests() > before, "PLI reached the producer"));
        // a burst of requests is rate-limited (500 ms per session), the encoder is shared
        long afterFirst = producer.keyFrameRequests();
        long burstStart = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            consumer.requestKeyFrame();
            Thread.sleep(20);
        }
        long burstMillis = (System.nanoTime() - burstStart) / 1_000_000;
        Thread.sleep(1000); // PLIs still on their way (RTCP) arrive and are counted or dropped
        long observedMillis = (System.nanoTime() - burstStart) / 1_000_000;
        // at most one request per 500 ms of observation, however much a loaded machine stretched the burst
        long allowed = 1 + observedMillis / 500;
        long passed = producer.keyFrameRequests() - afterFirst;
        assertTrue(passed <= allowed, "rate-limited: " + passed + " requests for 10 PLIs sent in " + burstMillis
                + " ms (at most " + allowed + " in " + observedMillis + " ms)");
    }

    @Test
    void aViewerStartingCostsTheSharedEncoderNoKeyFrameBeyondItsFirst() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.H264));
        // webrtcbin's default jitter buffer (200 ms): with none, a packet a little late counts as lost and the
        // viewer asks for a key frame of its own, which is granted, as it should be
        TestConsumer consumer = new TestConsumer(server.url(), producer.peerId(), TestConsumer.Mode.ANSWER,
                List.of(), viewers);
        consumers.add(consumer);
        consumer.start();
        assertDecodes(consumer, "H264");
        Thread.sleep(1000); // RTCP on its way arrives
        // webrtcbin's decoder sends PLI as it starts, while the key frame its subscription began with is on its way
        assertEquals(0, producer.keyFrameRequests(), "key frames asked of the shared encoder for a viewer that "
                + "asked for none after its first frame");
        consumer.requestKeyFrame();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(1, producer.keyFrameRequests(),
                "a PLI later on is granted"));
    }

    @Test
    void viewerDecodesH264() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.H264, RtpCodec.VP8));
        TestConsumer consumer = consumer(producer, TestConsumer.Mode.ANSWER, List.of());
        assertDecodes(consumer, "H264");
        assertEquals("H264+OPUS", only(producer).codecs());
        System.out.printf("H.264 first decoded frame %d ms after startSession%n", consumer.firstFrameMillis());
    }

    @Test
    void viewerOfferInStartSessionIsAnswered() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.VP8, RtpCodec.H264));
        // the viewer offers only H.264: the producer answers with it although it prefers VP8
        TestConsumer consumer = consumer(producer, TestConsumer.Mode.OFFER, List.of("H264"));
        assertTrue(consumer.remoteOffer().contains("m=application"), "a data channel, as gstwebrtc-api offers");
        assertDecodes(consumer, "H264");
        assertEquals("H264+OPUS", only(producer).codecs());
    }

    @Test
    void fiveViewersShareOneEncoderPerCodec() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.VP8, RtpCodec.H264));
        List<TestConsumer> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(consumer(producer, TestConsumer.Mode.ANSWER, List.of()));
        }
        for (TestConsumer consumer : five) {
            assertDecodes(consumer, "VP8");
        }
        List<StreamStatus> streams = hub.streams();
        StreamStatus camera = streams.stream().filter(s -> s.sourceId().equals("camera")).findFirst().orElseThrow();
        assertEquals(1, camera.encoders().size(), camera.toString());
        assertEquals("VP8", camera.encoders().get(0).codec());
        assertEquals(5, camera.encoders().get(0).subscribers(), camera.toString());
        StreamStatus microphone = streams.stream().filter(s -> s.sourceId().equals("microphone")).findFirst()
                .orElseThrow();
        assertEquals(1, microphone.encoders().size());
        assertEquals(5, microphone.encoders().get(0).subscribers(), microphone.toString());
        assertEquals(5, producer.sessionCount());
    }

    // --- ending and cleaning up -------------------------------------------------------------------------------

    @Test
    void endingSessionsReleasesEverything() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.VP8, RtpCodec.H264));
        await().atMost(Duration.ofSeconds(10)).until(() -> SessionPipelines.live() == 0 && subscribers() == 0);
        int handlers = WebRtcNative.registeredHandlers();
        int threadsBefore = Wait.processThreads();
        String namesBefore = Wait.threadNames();

        TestConsumer ending = consumer(producer, TestConsumer.Mode.ANSWER, List.of());
        TestConsumer vanishing = consumer(producer, TestConsumer.Mode.ANSWER, List.of());
        TestConsumer endedByUs = consumer(producer, TestConsumer.Mode.ANSWER, List.of());
        assertDecodes(ending, "VP8");
        assertDecodes(vanishing, "VP8");
        assertDecodes(endedByUs, "VP8");
        assertEquals(3, SessionPipelines.live());
        assertEquals(3, subscribers("camera"));
        int threadsDuring = Wait.processThreads();

        ending.endSession();
        assertTrue(ended(producer, ending.sessionId()).endReason().contains("viewer ended"));
        vanishing.vanish();
        assertTrue(ended(producer, vanishing.sessionId()).endReason().contains("viewer ended"));
        assertTrue(producer.endSession(endedByUs.sessionId(), "ended by the test"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue("endSession from the producer".equals(endedByUs.endedReason()),
                        "the viewer is told: " + endedByUs.endedReason()));

        assertEquals(0, producer.sessionCount());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(SessionPipelines.live() == 0, "pipelines freed"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(subscribers() == 0, "hub subscriptions closed: " + hub.streams()));
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertTrue(WebRtcNative.pendingPromises() == 0, "no promise left"));
        // the viewers' own pipelines go too; GStreamer threads end with their pipelines
        consumers.forEach(TestConsumer::close);
        consumers.clear();
        assertEquals(handlers, WebRtcNative.registeredHandlers(), "signal handlers unregistered");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertTrue(Wait.processThreads() <= threadsBefore + 6,
                        "threads back near the baseline: before " + threadsBefore + ", during " + threadsDuring
                                + ", after " + Wait.processThreads() + "\nbefore: " + namesBefore + "\nafter:  "
                                + Wait.threadNames()));
    }

    private static int subscribers() {
        return subscribers("camera") + subscribers("microphone");
    }

    private static int subscribers(String source) {
        return hub.streams().stream().filter(s -> s.sourceId().equals(source))
                .flatMap(s -> s.encoders().stream()).mapToInt(StreamStatus.EncoderStatus::subscribers).sum();
    }

    // --- bad input --------------------------------------------------------------------------------------------

    @Test
    void garbageAnswerEndsOnlyThatSession() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.VP8));
        TestConsumer good = consumer(producer, TestConsumer.Mode.ANSWER, List.of());
        TestConsumer garbage = consumer(producer, TestConsumer.Mode.GARBAGE, List.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> garbage.sessionId() != null);
        SessionStatus status = ended(producer, garbage.sessionId());
        assertTrue(status.endReason().contains("answer"), status.endReason());
        await().atMost(Duration.ofSeconds(5)).until(() -> "endSession from the producer".equals(garbage.endedReason()));
        assertDecodes(good, "VP8");
        long before = good.videoFrames();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(good.videoFrames() > before + 15,
                        "the other session goes on: " + good.videoFrames() + " frames, " + before + " before"));
    }

    @Test
    void garbageOfferInStartSessionEndsTheSession() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.VP8));
        List<String> ends = new CopyOnWriteArrayList<>();
        List<String> started = new CopyOnWriteArrayList<>();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        Signaller raw = new Signaller(server.url(), viewers, List.of(), null, new Signaller.Listener() {
            @Override
            public void onRegistered(String peerId) {
                executor.execute(() -> {
                });
            }

            @Override
            public void onDisconnected(String reason) {
            }

            @Override
            public void onSessionStarted(String sessionId, String peerId) {
                started.add(sessionId);
            }

            @Override
            public void onEndSession(String sessionId) {
                ends.add(sessionId);
            }
        }, executor, Signaller.Timing.DEFAULT);
        try {
            raw.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> raw.peerId() != null);
            raw.startSession(producer.peerId(), "v=0 but not really an offer");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertTrue(!ends.isEmpty(), "the producer ends the session"));
            assertEquals(started, ends);
            SessionStatus status = ended(producer, ends.get(0));
            assertTrue(status.endReason().contains("offer"), status.endReason());
        } finally {
            raw.close();
            executor.shutdown();
        }
    }

    @Test
    void silentViewerAndBrokenIceTimeOut() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.VP8), 5_000, 10, server, Signaller.Timing.DEFAULT);
        TestConsumer silent = consumer(producer, TestConsumer.Mode.SILENT, List.of());
        TestConsumer noIce = consumer(producer, TestConsumer.Mode.NO_ICE, List.of());
        TestConsumer good = consumer(producer, TestConsumer.Mode.ANSWER, List.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> silent.sessionId() != null && noIce.sessionId() != null);
        SessionStatus status = ended(producer, silent.sessionId());
        assertTrue(status.endReason().contains("no answer"), status.endReason());
        SessionStatus broken = ended(producer, noIce.sessionId());
        assertTrue(broken.endReason().contains("ICE"), broken.endReason());
        await().atMost(Duration.ofSeconds(5)).until(() -> "endSession from the producer".equals(noIce.endedReason()));
        assertDecodes(good, "VP8");
        assertEquals(1, producer.sessionCount());
    }

    @Test
    void maxSessionsRefusesTheNextViewer() throws Exception {
        WebRtcProducer producer = producer(List.of(RtpCodec.VP8), 20_000, 1, server, Signaller.Timing.DEFAULT);
        TestConsumer first = consumer(producer, TestConsumer.Mode.ANSWER, List.of());
        assertDecodes(first, "VP8");
        TestConsumer second = consumer(producer, TestConsumer.Mode.ANSWER, List.of());
        await().atMost(Duration.ofSeconds(10)).until(() -> "endSession from the producer".equals(second.endedReason()));
        assertTrue(producer.sessions().stream().anyMatch(s -> s.endReason() != null
                && s.endReason().contains("max.sessions")));
        assertEquals(1, producer.sessionCount());
    }

    // --- signalling server restart ----------------------------------------------------------------------------

    @Test
    void producerReconnectsAndRegistersAgainAfterServerRestart() throws Exception {
        try (SignallingServer own = SignallingServer.start()) {
            WebRtcProducer producer = producer(List.of(RtpCodec.VP8), 20_000, 10, own,
                    new Signaller.Timing(200, 1600, 1000, 5000));
            TestConsumer consumer = new TestConsumer(own.url(), producer.peerId(), TestConsumer.Mode.ANSWER,
                    List.of());
            consumers.add(consumer);
            consumer.start();
            assertDecodes(consumer, "VP8");
            String firstId = producer.peerId();

            own.stop();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertTrue(producer.sessionCount() == 0, "the session ends"));
            SessionStatus lost = producer.sessions().get(0);
            assertTrue(lost.endReason().contains("signalling connection lost"), lost.endReason());
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertTrue("WAITING".equals(producer.signalling().state())
                            || "CONNECTING".equals(producer.signalling().state()), producer.signalling().toString()));
            Thread.sleep(2000); // a few failed attempts, with back-off
            own.restart();

            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertTrue(producer.peerId() != null, "registered again"));
            assertTrue(producer.signalling().reconnects() >= 1);
            assertTrue(!producer.peerId().equals(firstId));
            await().atMost(Duration.ofSeconds(5)).until(() -> SessionPipelines.live() == 0);
            JsonNode listed = listProducers(own);
            assertNotNull(listed, "list answered");
            boolean found = false;
            for (JsonNode entry : listed) {
                // signed in again with the device token: the server vouches for it as the device
                found |= entry.path("id").asText().equals(producer.peerId())
                        && entry.path("meta").path("name").asText().equals("test camera")
                        && entry.path("meta").path("pistream-user").asText().equals("device");
            }
            assertTrue(found, "the producer is listed again: " + listed);

            // and it serves viewers again
            TestConsumer again = new TestConsumer(own.url(), producer.peerId(), TestConsumer.Mode.ANSWER, List.of());
            consumers.add(again);
            again.start();
            assertDecodes(again, "VP8");
        }
    }

    /** The producers in a {@code list} reply, as raw JSON. */
    private static JsonNode listProducers(SignallingServer at) throws Exception {
        com.fasterxml.jackson.databind.node.ArrayNode array =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        for (Signaller.Peer peer : ProducerList.fetch(at.url(), viewers, 5_000)) {
            array.addObject().put("id", peer.id()).set("meta", peer.meta());
        }
        return array;
    }
}
