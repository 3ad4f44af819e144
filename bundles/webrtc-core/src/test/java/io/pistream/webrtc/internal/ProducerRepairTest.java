package io.pistream.webrtc.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.testing.SignallingServer;
import io.pistream.webrtc.testing.TestConsumer;
import io.pistream.webrtc.testing.Wait;

/**
 * What the producer negotiates to repair losses, read in the offer a webrtcbin viewer receives: NACK with
 * retransmission on its own payload type always, forward error correction (ulpfec in red) when configured, and the
 * viewer decodes either way.
 */
class ProducerRepairTest {

    private static MediaHubCore hub;
    private static SignallingServer server;
    private static JdkWebSocketConnector connector;
    private static JdkWebSocketConnector viewers;

    private WebRtcProducer producer;
    private TestConsumer consumer;

    @BeforeAll
    static void startHubAndServer() throws Exception {
        hub = MediaHubCore.create(500);
        hub.addSource(new TestPatternSource("camera", 320, 240, 30));
        hub.addEncoder(TestEncoders.vp8(), 0);
        server = SignallingServer.start();
        connector = SignallingServer.deviceConnector();
        viewers = SignallingServer.connectorAs(TestAccessControl.VIEWER_TOKEN);
    }

    @AfterAll
    static void stopHubAndServer() throws Exception {
        connector.close();
        viewers.close();
        server.close();
        hub.close();
    }

    @AfterEach
    void stopPeers() {
        if (consumer != null) {
            consumer.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void withoutFecTheOfferHasNackAndRetransmissionOnly() throws Exception {
        String offer = watch(0);
        assertTrue(offer.contains("a=rtcp-fb:96 nack\r\n") && offer.contains("a=rtcp-fb:96 nack pli"), offer);
        assertTrue(offer.contains("rtx/90000") && offer.contains("apt=96"), offer);
        assertFalse(offer.contains("ulpfec") || offer.contains("red/90000"), offer);
    }

    @Test
    void withFecTheOfferAlsoCarriesUlpfecInRed() throws Exception {
        String offer = watch(20);
        assertTrue(offer.contains("red/90000") && offer.contains("ulpfec/90000"), offer);
        assertTrue(offer.contains("rtx/90000"), offer);
    }

    /** A viewer of a producer with this FEC share; returns the offer it got once it decodes. */
    private String watch(int fecPercentage) throws Exception {
        ProducerSettings settings = ProducerSettings.of("repair", server.url(),
                new ProducerSession.Plan("camera", List.of(RtpCodec.VP8), "", fecPercentage),
                SessionSettings.loopback(20_000), 4);
        producer = new WebRtcProducer(settings, hub, connector, Signaller.Timing.DEFAULT);
        assertTrue(Wait.until(10_000, () -> producer.peerId() != null), "the producer registers");
        consumer = new TestConsumer(server.url(), producer.peerId(), TestConsumer.Mode.ANSWER, List.of("VP8"),
                viewers).start();
        assertTrue(Wait.until(20_000, () -> consumer.videoFrames() >= 30), "decoded " + consumer.videoFrames()
                + " frames");
        return consumer.remoteOffer();
    }
}
