package io.pistream.webrtc.receiver.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.pistream.api.MediaSource;
import io.pistream.api.StreamStatus;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.internal.session.SessionPipelines;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.testing.SignallingServer;
import io.pistream.webrtc.testing.TestConsumer;
import io.pistream.webrtc.testing.TestProducer;

/**
 * Composite mode: a browser-like producer's video (colour bars) drawn over the camera (a ball on black), offered
 * as a producer of its own; a viewer of that producer sees the bars in the top right corner.
 */
class CompositeEndToEndTest {

    @Test
    void receivedVideoIsDrawnOverTheCameraAndOfferedAsAProducer() throws Exception {
        MediaHubCore hub = MediaHubCore.create(500);
        hub.addSource(new TestPatternSource("camera", 640, 480, 30));
        hub.addEncoder(TestEncoders.vp8(), 0);
        hub.addEncoder(TestEncoders.h264(30), 0);
        MediaSource[] registered = new MediaSource[1];
        try (SignallingServer server = SignallingServer.start();
                JdkWebSocketConnector connector = SignallingServer.deviceConnector();
                JdkWebSocketConnector browsers = SignallingServer.connectorAs(TestAccessControl.TALK_TOKEN)) {
            SessionSettings session = SessionSettings.loopback(20_000);
            PictureInPicture pip = new PictureInPicture("test receiver", "camera", hub, source -> {
                registered[0] = source;
                hub.addSource(source);
            }, () -> hub.removeSource(registered[0]), server.url(), connector, session, Signaller.Timing.DEFAULT);
            WebRtcReceiverCore receiver = new WebRtcReceiverCore(ReceiverSettings.of("test receiver", server.url(),
                    "target=pi", new ReceiverSession.Output(ReceiverSession.VideoMode.COMPOSITE, Path.of("."), "mkv",
                            0, "fakesink", ""), 2, session), connector, Signaller.Timing.DEFAULT, pip.source());
            try (TestProducer browser = new TestProducer(server.url(), browsers, "WebClient-pip", "VP8",
                    "target=pi")) {
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertTrue(receiver.runningSessions().stream()
                                .anyMatch(s -> s.videoBuffers() > 30), "the receiver decodes: " + receiver.sessions()));
                await().atMost(Duration.ofSeconds(10)).until(() -> pip.producer().peerId() != null);
                try (TestConsumer viewer = new TestConsumer(server.url(), pip.producer().peerId(),
                        TestConsumer.Mode.ANSWER, List.of(), browsers).withSnapshots()) {
                    viewer.start();
                    await().atMost(Duration.ofSeconds(20))
                            .untilAsserted(() -> assertTrue(
                                    viewer.videoFrames() > 60 && pip.source().insetFrames() > 30,
                                    "the viewer decodes " + viewer.videoFrames() + " frames, inset "
                                            + pip.source().insetFrames()));
                    assertTrue(viewer.decodedCaps().contains("width=(int)640"), viewer.decodedCaps());
                    // inset: 160x120 at (464, 12); colour bars are bright, the camera's background is black. The
                    // first decoded frames may still show the camera alone: wait until the viewer sees the inset.
                    double[] luma = new double[2];
                    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                        luma[0] = viewer.luma(640, 480, 30, 120, 80);
                        luma[1] = Math.min(
                                Math.min(viewer.luma(640, 8, 400, 60, 60), viewer.luma(640, 8, 8, 60, 60)),
                                Math.min(viewer.luma(640, 560, 400, 60, 60), viewer.luma(640, 300, 400, 60, 60)));
                        assertTrue(luma[0] > 60 && luma[1] < 40 && luma[0] > luma[1] + 30,
                                "inset luma " + luma[0] + ", background " + luma[1]);
                    });
                    System.out.printf("composite luma: inset %.1f, background %.1f%n", luma[0], luma[1]);

                    // one capture of the camera: its stream feeds the composite, which is encoded once
                    StreamStatus camera = hub.streams().stream().filter(s -> s.sourceId().equals("camera"))
                            .findFirst().orElseThrow();
                    StreamStatus composite = hub.streams().stream().filter(s -> s.sourceId().equals("camera-pip"))
                            .findFirst().orElseThrow();
                    assertEquals(1, camera.encoders().size(), camera.toString());
                    assertEquals(1, composite.encoders().size(), composite.toString());
                    assertEquals("VP8", composite.encoders().get(0).codec());
                }
            } finally {
                receiver.close();
                pip.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> SessionPipelines.live() == 0);
        } finally {
            hub.close();
        }
    }
}
