package io.pistream.whep.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class OfferCheckTest {

    private static OfferCheck.Problem problem(Object checked) {
        return assertInstanceOf(OfferCheck.Problem.class, checked);
    }

    @Test
    void aBrowsersOffersAreTakenWithTheirMidsAndUfrag() {
        OfferCheck.Offer offer = assertInstanceOf(OfferCheck.Offer.class, OfferCheck.forPlayback(Offers.playback()));
        assertEquals(Arrays.asList("0", "1"), offer.mids());
        assertEquals("Ab12", offer.iceUfrag());
        assertInstanceOf(OfferCheck.Offer.class, OfferCheck.forIngest(Offers.ingest()));
        assertInstanceOf(OfferCheck.Offer.class, OfferCheck.forPlayback(Offers.offer("recvonly", Offers.OPUS)),
                "audio alone is something to play");
        assertInstanceOf(OfferCheck.Offer.class, OfferCheck.forPlayback(Offers.offer("sendrecv", Offers.VP8_H264)));
    }

    @Test
    void whatIsNotSdpIs400() {
        assertEquals(400, problem(OfferCheck.forPlayback("")).status());
        assertEquals(400, problem(OfferCheck.forPlayback("{\"sdp\":\"v=0\"}")).status());
        OfferCheck.Problem noMedia = problem(OfferCheck.forPlayback("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"));
        assertEquals(400, noMedia.status());
        assertTrue(noMedia.reason().contains("m="), noMedia.reason());
        String noIce = Offers.playback().replaceAll("a=ice-ufrag:[^\r]*\r\n", "");
        assertTrue(problem(OfferCheck.forPlayback(noIce)).reason().contains("ice-ufrag"));
        String noDtls = Offers.playback().replaceAll("a=fingerprint:[^\r]*\r\n", "");
        assertTrue(problem(OfferCheck.forPlayback(noDtls)).reason().contains("fingerprint"));
    }

    @Test
    void offersWithoutAUsableCodecOrDirectionAre406() {
        OfferCheck.Problem av1 = problem(OfferCheck.forPlayback(Offers.offer("recvonly", Offers.AV1, Offers.PCMU)));
        assertEquals(406, av1.status());
        assertTrue(av1.reason().contains("video av1") && av1.reason().contains("audio pcmu"), av1.reason());
        assertEquals(406, problem(OfferCheck.forPlayback(Offers.offer("recvonly", Offers.H264_MODE0))).status(),
                "rtph264pay sends packetization-mode 1 only");
        assertEquals(406, problem(OfferCheck.forPlayback(Offers.ingest())).status(),
                "a WHEP player that only sends gets nothing");
        OfferCheck.Problem wrongWay = problem(OfferCheck.forIngest(Offers.playback()));
        assertEquals(406, wrongWay.status());
        assertTrue(wrongWay.reason().contains("receive"), wrongWay.reason());
    }
}
