package io.pistream.whep.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.internal.ProducerSettings;
import io.pistream.webrtc.internal.WebRtcProducer;
import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.door.HttpSessions;
import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.testing.ProducerRig;
import io.pistream.webrtc.testing.SignallingServer;
import io.pistream.webrtc.testing.TestConsumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * WHEP with real GStreamer: the device's producer (test pattern and tone, VP8, H.264 and Opus encoders in the hub)
 * behind the WHEP servlet in an embedded Jetty, and players made of GStreamer's webrtcbin that POST their offers
 * over HTTP. Signalling viewers run next to them, against the same session cap.
 */
class WhepEndToEndTest {

    private static ProducerRig rig;
    private static MediaHubCore hub;
    private static SignallingServer server;
    private static JdkWebSocketConnector device;
    private static JdkWebSocketConnector viewers;

    private TestDoor door;
    private WebRtcProducer producer;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void startHub() throws Exception {
        rig = ProducerRig.start();
        hub = rig.hub();
        server = rig.server();
        device = rig.device();
        viewers = rig.viewers();
    }

    @AfterAll
    static void stopHub() throws Exception {
        rig.close();
    }

    @BeforeEach
    void start() throws Exception {
        ProducerSettings settings = ProducerSettings.of("pistream", server.url(),
                new ProducerSession.Plan("camera", List.of(RtpCodec.VP8, RtpCodec.H264), "microphone"),
                SessionSettings.loopback(20_000), 2);
        producer = new WebRtcProducer(settings, hub, device, Signaller.Timing.DEFAULT);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(producer.peerId() != null, "the producer registers"));
        door = new TestDoor().start();
        door.whep.bindProducer(new HttpSessions() {
            @Override
            public DoorSession open(String source, String peer, String offer) {
                return producer.openDoorSession(peer, offer, settings.plan(), 3000);
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        door.close();
        producer.close();
    }

    private WebrtcbinClient client() {
        WebrtcbinClient client = new WebrtcbinClient();
        clients.add(client);
        return client;
    }

    private static void assertDecodes(WebrtcbinClient client, String codec) throws InterruptedException {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertTrue(client.videoFrames() >= 30 && client.audioBuffers() >= 25,
                        "decoded " + client.videoFrames() + " frames and " + client.audioBuffers() + " audio buffers"));
        assertEquals(codec, client.videoCodec());
        assertTrue(client.firstFrameMillis() > 0 && client.firstFrameMillis() < 10_000,
                "first frame after " + client.firstFrameMillis() + " ms");
        System.out.println("WHEP " + codec + ": first frame " + client.firstFrameMillis() + " ms after the offer");
    }

    private SessionStatus running(String peerPrefix) {
        return producer.sessions().stream().filter(s -> s.endReason() == null && s.peerId().startsWith(peerPrefix))
                .findFirst().orElse(null);
    }

    @Test
    void aWebrtcbinPlayerWithoutTrickleDecodesVp8AndOpusAndDeleteEndsIt() throws Exception {
        WebrtcbinClient client = client();
        HttpResponse<String> created = client.play(door, "/whep/camera", TestAccessControl.VIEWER_TOKEN,
                List.of(RtpCodec.VP8, RtpCodec.H264), WebrtcbinClient.Trickle.IN_OFFER);
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(created.body().contains("a=candidate:") && created.body().contains("a=end-of-candidates"),
                "the answer carries the device's candidates: " + created.body());
        assertDecodes(client, "VP8");
        SessionStatus status = running("whep:alice@127.0.0.1");
        assertTrue(status != null, "the WHEP session is in the producer's book: " + producer.sessions());
        assertTrue(client.location().endsWith(status.sessionId()), client.location());
        assertEquals("VP8+OPUS", status.codecs());

        assertEquals(200, door.send("DELETE", client.location(), TestAccessControl.VIEWER_TOKEN, null, null)
                .statusCode());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(running("whep:") == null, "the session ends: " + producer.sessions()));
        assertTrue(producer.sessions().stream().anyMatch(s -> s.sessionId().equals(status.sessionId())
                && s.endReason() != null && s.endReason().contains("DELETE")), producer.sessions().toString());
        assertEquals(404, door.send("DELETE", client.location(), TestAccessControl.VIEWER_TOKEN, null, null)
                .statusCode());
    }

    @Test
    void aPlayerThatTricklesByPatchGetsH264() throws Exception {
        WebrtcbinClient client = client();
        HttpResponse<String> created = client.play(door, "/whep/camera", TestAccessControl.VIEWER_TOKEN,
                List.of(RtpCodec.H264), WebrtcbinClient.Trickle.PATCH);
        assertEquals(201, created.statusCode(), created.body());
        assertDecodes(client, "H264");
    }

    @Test
    void signallingAndWhepViewersShareTheCapAndTheEncoder() throws Exception {
        TestConsumer signalling = new TestConsumer(server.url(), producer.peerId(), TestConsumer.Mode.ANSWER,
                List.of(), viewers);
        clients.add(signalling);
        signalling.start();
        WebrtcbinClient first = client();
        assertEquals(201, first.play(door, "/whep/camera", TestAccessControl.VIEWER_TOKEN,
                List.of(RtpCodec.VP8), WebrtcbinClient.Trickle.IN_OFFER).statusCode());
        assertDecodes(first, "VP8");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertTrue(signalling.videoFrames() >= 30, "the signalling viewer decodes too"));

        HttpResponse<String> refused = client().play(door, "/whep/camera", TestAccessControl.VIEWER_TOKEN,
                List.of(RtpCodec.VP8), WebrtcbinClient.Trickle.IN_OFFER);
        assertEquals(503, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("max.sessions"), refused.body());
        List<io.pistream.api.StreamStatus.EncoderStatus> vp8 = hub.streams().stream()
                .filter(s -> s.sourceId().equals("camera")).flatMap(s -> s.encoders().stream())
                .filter(e -> e.codec().equalsIgnoreCase("vp8")).toList();
        assertEquals(1, vp8.size(), "one VP8 encoder: " + hub.streams());
        assertEquals(2, vp8.get(0).subscribers(), "shared by both viewers: " + vp8);
        assertTrue(first.videoFrames() > 30, "the running viewer was not disturbed");
    }
}
