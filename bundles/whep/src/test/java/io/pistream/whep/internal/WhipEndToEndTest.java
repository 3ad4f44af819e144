package io.pistream.whep.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.pistream.gstreamer.internal.GstInit;
import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.door.HttpSessions;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.receiver.internal.ReceiverSession;
import io.pistream.webrtc.receiver.internal.ReceiverSettings;
import io.pistream.webrtc.receiver.internal.WebRtcReceiverCore;
import io.pistream.webrtc.testing.SignallingServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WHIP with real GStreamer: the device's receiver (recording) behind the WHIP servlet in an embedded Jetty, and a
 * webrtcbin sender that POSTs its offer over HTTP. What it sent ends up in a Matroska file, read back by ffprobe.
 */
class WhipEndToEndTest {

    @TempDir
    Path recordings;

    private SignallingServer server;
    private JdkWebSocketConnector device;
    private WebRtcReceiverCore receiver;
    private TestDoor door;
    private WebrtcbinSender sender;

    @BeforeEach
    void start() throws Exception {
        GstInit.ensure();
        server = SignallingServer.start();
        device = SignallingServer.deviceConnector();
        ReceiverSession.Output output = new ReceiverSession.Output(ReceiverSession.VideoMode.RECORD, recordings,
                "mkv", 0, "fakesink", "");
        receiver = new WebRtcReceiverCore(ReceiverSettings.of("test receiver", server.url(), null, output, 1,
                SessionSettings.loopback(20_000)), device, Signaller.Timing.DEFAULT, null);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(receiver.peerId() != null, "the receiver registers"));
        door = new TestDoor().start();
        door.whip.bindReceiver(new HttpSessions() {
            @Override
            public DoorSession open(String source, String peer, String offer) {
                return receiver.openDoorSession(source, peer, offer, 3000);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (sender != null) {
            sender.close();
        }
        door.close();
        receiver.close();
        device.close();
        server.close();
    }

    @Test
    void aWebrtcbinSenderIsRecordedAndTheCapHolds() throws Exception {
        sender = new WebrtcbinSender();
        HttpResponse<String> created = sender.send(door, "/whip/studio", TestAccessControl.TALK_ONLY_TOKEN);
        assertEquals(201, created.statusCode(), created.body());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertTrue(receiver.runningSessions().stream()
                        .anyMatch(s -> s.videoBuffers() > 30 && s.audioBuffers() > 25), "media arrives: "
                                + receiver.sessions()));
        ReceiverSession session = receiver.runningSessions().get(0);
        assertTrue(session.peerId().startsWith("whip:bob@127.0.0.1"), session.peerId());

        // max.sessions = 1: a second sender is refused with the reason, the first goes on
        try (WebrtcbinSender second = new WebrtcbinSender()) {
            HttpResponse<String> refused = second.send(door, "/whip/other", TestAccessControl.TALK_ONLY_TOKEN);
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("max.sessions"), refused.body());
        }
        long before = session.videoBuffers();
        Thread.sleep(2000);
        assertTrue(session.videoBuffers() > before, "the first sender was not disturbed");

        List<Path> files = session.files();
        assertEquals(200, door.send("DELETE", sender.location(), TestAccessControl.TALK_ONLY_TOKEN, null, null)
                .statusCode());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(receiver.runningSessions().isEmpty(), "the session ends"));
        assertEquals(1, files.size(), files.toString());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String probe = ffprobe(files.get(0));
            assertTrue(probe.contains("\"codec_name\": \"opus\""), probe);
        });
        String probe = ffprobe(files.get(0));
        assertTrue(probe.contains("\"codec_name\": \"vp8\""), probe);
    }

    private static String ffprobe(Path file) {
        try {
            Process probe = new ProcessBuilder("ffprobe", "-v", "error", "-show_streams", "-of", "json",
                    file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            probe.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (Exception e) {
            return e.toString();
        }
    }
}
