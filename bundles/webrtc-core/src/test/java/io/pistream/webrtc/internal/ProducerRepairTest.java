package io.pistream.webrtc.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.testing.ProducerRig;
import io.pistream.webrtc.testing.TestConsumer;

/**
 * What the producer negotiates to repair losses, read in the offer a webrtcbin viewer receives: NACK with
 * retransmission on its own payload type always, forward error correction (ulpfec in red) when configured, and the
 * viewer decodes either way.
 */
class ProducerRepairTest {

    private static ProducerRig rig;

    private WebRtcProducer producer;
    private TestConsumer consumer;

    @BeforeAll
    static void startHubAndServer() throws Exception {
        rig = ProducerRig.start();
    }

    @AfterAll
    static void stopHubAndServer() throws Exception {
        rig.close();
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
        assertTrue(offer.contains("a=rtcp-fb:96 goog-remb"), "the viewer is asked for its estimate: " + offer);
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
        ProducerSettings settings = ProducerSettings.of("repair", rig.server().url(),
                new ProducerSession.Plan("camera", List.of(RtpCodec.VP8), "", fecPercentage),
                SessionSettings.loopback(20_000), 4);
        producer = new WebRtcProducer(settings, rig.hub(), rig.device(), Signaller.Timing.DEFAULT);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(producer.peerId() != null, "the producer registers"));
        consumer = new TestConsumer(rig.server().url(), producer.peerId(), TestConsumer.Mode.ANSWER, List.of("VP8"),
                rig.viewers()).start();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertTrue(consumer.videoFrames() >= 30, "decoded " + consumer.videoFrames()
                        + " frames"));
        return consumer.remoteOffer();
    }
}
