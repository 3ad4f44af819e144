package io.pistream.webrtc.receiver.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pistream.gstreamer.internal.GstInit;
import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.WebRtcReceiver;
import io.pistream.webrtc.internal.session.SessionPipelines;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.testing.SignallingServer;
import io.pistream.webrtc.testing.TestProducer;

/**
 * The receiver consuming a browser-like producer (webrtcbin sending a test pattern and a tone, registered as
 * listener+producer) through the real signalling server.
 */
class ReceiverEndToEndTest {

    private static SignallingServer server;
    /** The receiver signs in as the device. */
    private static JdkWebSocketConnector connector;
    /** The browsers sign in as users with the role talk. */
    private static JdkWebSocketConnector talkers;

    private final List<AutoCloseable> peers = new ArrayList<>();

    @TempDir
    Path recordings;

    @BeforeAll
    static void start() throws Exception {
        GstInit.ensure();
        server = SignallingServer.start();
        connector = SignallingServer.deviceConnector();
        talkers = SignallingServer.connectorAs(TestAccessControl.TALK_ONLY_TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        connector.close();
        talkers.close();
        server.close();
    }

    @AfterEach
    void closePeers() throws Exception {
        for (int i = peers.size() - 1; i >= 0; i--) {
            peers.get(i).close();
        }
    }

    private WebRtcReceiverCore receiver(String match, ReceiverSession.VideoMode mode, String format)
            throws InterruptedException {
        ReceiverSession.Output output = new ReceiverSession.Output(mode, recordings, format, 0, "fakesink", "");
        WebRtcReceiverCore receiver = new WebRtcReceiverCore(ReceiverSettings.of("test receiver", server.url(),
                match, output, 2, SessionSettings.loopback(20_000)), connector, Signaller.Timing.DEFAULT, null);
        peers.add(receiver);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(receiver.peerId() != null, "the receiver registers"));
        return receiver;
    }

    private TestProducer browser(String name, String codec, String... meta) throws Exception {
        TestProducer producer = new TestProducer(server.url(), talkers, name, codec, meta);
        peers.add(producer);
        return producer;
    }

    private static ReceiverSession streaming(WebRtcReceiverCore receiver) throws InterruptedException {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertTrue(receiver.runningSessions().stream()
                        .anyMatch(s -> s.videoBuffers() > 30 && s.audioBuffers() > 25),
                        "media arrives: " + receiver.sessions()));
        return receiver.runningSessions().get(0);
    }

    @Test
    void recordsVp8AndOpusToMatroska() throws Exception {
        WebRtcReceiverCore receiver = receiver("target=pi-test", ReceiverSession.VideoMode.RECORD, "mkv");
        browser("WebClient-1", "VP8", "target=pi-test");
        JsonNode probe = recordAndProbe(receiver, 4000);
        assertStreams(probe, "vp8", "opus");
    }

    @Test
    void recordsH264AndOpusToMp4() throws Exception {
        WebRtcReceiverCore receiver = receiver("target=pi-test", ReceiverSession.VideoMode.RECORD, "mp4");
        browser("WebClient-2", "H264", "target=pi-test");
        JsonNode probe = recordAndProbe(receiver, 4000);
        assertStreams(probe, "h264", "opus");
    }

    private JsonNode recordAndProbe(WebRtcReceiverCore receiver, long millis) throws Exception {
        ReceiverSession session = streaming(receiver);
        assertEquals("STREAMING", session.status().state());
        long started = System.nanoTime();
        Thread.sleep(millis);
        long recordedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        List<Path> files = session.files();
        assertTrue(receiver.stop(session.sessionId()));
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertTrue(SessionPipelines.live() == 0, "the session pipeline is freed"));
        assertEquals(1, files.size(), files.toString());
        Path file = files.get(0);
        assertTrue(Files.size(file) > 10_000, file + " has " + Files.size(file) + " bytes");
        Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json",
                file.toString()).redirectErrorStream(false).start();
        String json = new String(ffprobe.getInputStream().readAllBytes());
        assertTrue(ffprobe.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, ffprobe.exitValue(), json);
        JsonNode probe = new ObjectMapper().readTree(json);
        double duration = probe.path("format").path("duration").asDouble();
        // the file holds what arrived from about the first media on: about the time recorded (+ set-up)
        assertTrue(duration > recordedMillis / 1000.0 - 1.0 && duration < recordedMillis / 1000.0 + 3.0,
                "duration " + duration + " s for about " + recordedMillis + " ms recorded: " + probe.path("format"));
        System.out.printf("%s: %.2f s recorded for %d ms of streaming%n", file.getFileName(), duration,
                recordedMillis);
        return probe;
    }

    private static void assertStreams(JsonNode probe, String video, String audio) {
        List<String> codecs = new ArrayList<>();
        for (JsonNode stream : probe.path("streams")) {
            codecs.add(stream.path("codec_type").asText() + ":" + stream.path("codec_name").asText());
            if (stream.path("codec_type").asText().equals("video")) {
                assertEquals(320, stream.path("width").asInt(), stream.toString());
            }
        }
        assertTrue(codecs.contains("video:" + video) && codecs.contains("audio:" + audio), codecs.toString());
        assertEquals(2, codecs.size(), codecs.toString());
    }

    @Test
    void speakerModePlaysTheAudioOnTheConfiguredSink() throws Exception {
        WebRtcReceiverCore receiver = receiver("name=WebClient-*", ReceiverSession.VideoMode.DISCARD, "mkv");
        browser("WebClient-3", "VP8");
        ReceiverSession session = streaming(receiver);
        long audio = session.audioBuffers();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(session.audioBuffers() > audio + 25,
                        "audio keeps reaching the sink: " + session.audioBuffers() + " buffers, " + audio + " before"));
        assertEquals("VP8+OPUS", session.status().codecs());
        assertTrue(session.files().isEmpty());
    }

    @Test
    void aViewerCannotMakeTheSpeakerTalk() throws Exception {
        WebRtcReceiverCore receiver = receiver("pistream-role=talk-back", ReceiverSession.VideoMode.DISCARD, "mkv");
        // a viewer's browser offering its microphone: the server refuses it as producer, so it is never listed
        try (JdkWebSocketConnector viewers = SignallingServer.connectorAs(TestAccessControl.VIEWER_TOKEN);
                TestProducer viewer = new TestProducer(server.url(), viewers, "WebClient-viewer", "VP8",
                        "pistream-role=talk-back")) {
            assertTrue(viewer.peerId() != null, "connected as a listener all the same");
            Thread.sleep(1000);
            assertTrue(receiver.producers().isEmpty(), receiver.producers().toString());
            assertTrue(receiver.runningSessions().isEmpty());
        }
        // a talk user's browser is received, and the server vouched for its user
        browser("WebClient-talk", "VP8", "pistream-role=talk-back");
        streaming(receiver);
        assertTrue(receiver.producers().get(0).meta().contains("\"pistream-user\":\"bob\""),
                receiver.producers().toString());
    }

    @Test
    void ownProducerIsNotConsumedAndShellReceivesOnDemand() throws Exception {
        // no match: nothing is received on its own
        WebRtcReceiverCore receiver = receiver(null, ReceiverSession.VideoMode.DISCARD, "mkv");
        TestProducer browser = browser("WebClient-4", "VP8");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertTrue(receiver.producers().stream()
                        .anyMatch(p -> p.id().equals(browser.peerId())),
                        "the producer is known: " + receiver.producers()));
        Thread.sleep(500);
        assertTrue(receiver.runningSessions().isEmpty());
        WebRtcReceiver.RemoteProducer listed = receiver.producers().stream()
                .filter(p -> p.id().equals(browser.peerId())).findFirst().orElseThrow();
        assertEquals("WebClient-4", listed.name());
        assertFalse(listed.receiving());

        receiver.receive(browser.peerId());
        ReceiverSession session = streaming(receiver);
        assertEquals(browser.peerId(), session.peerId());

        // the session ends cleanly when the producer goes away
        browser.close();
        peers.remove(browser);
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.runningSessions().isEmpty());
        SessionStatus ended = receiver.sessions().get(0);
        assertTrue(ended.endReason().contains("producer ended"), ended.endReason());
        await().atMost(Duration.ofSeconds(10)).until(() -> SessionPipelines.live() == 0);
    }
}
