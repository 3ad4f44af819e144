package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class SdpTest {

    /** Trimmed from a Chromium offer (gstwebrtc-api offer mode: recvonly video and audio, a data channel). */
    private static final String CHROME_OFFER = String.join("\r\n",
            "v=0", "o=- 4611731400430051336 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1 2",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103 106 45", "c=IN IP4 0.0.0.0", "a=mid:0", "a=recvonly",
            "a=rtpmap:96 VP8/90000", "a=rtcp-fb:96 nack pli", "a=rtpmap:97 rtx/90000", "a=fmtp:97 apt=96",
            "a=rtpmap:102 H264/90000",
            "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f",
            "a=rtpmap:103 H264/90000",
            "a=fmtp:103 level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f",
            "a=rtpmap:106 H264/90000",
            "a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f",
            "a=rtpmap:45 AV1/90000",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9", "c=IN IP4 0.0.0.0", "a=mid:1", "a=recvonly",
            "a=rtpmap:111 opus/48000/2", "a=fmtp:111 minptime=10;useinbandfec=1", "a=rtpmap:63 red/48000/2",
            "a=rtpmap:9 G722/8000",
            "m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 0.0.0.0", "a=mid:2", "");

    @Test
    void readsMediaFormatsInOrder() {
        Sdp sdp = Sdp.parse(CHROME_OFFER);
        assertEquals(3, sdp.media().size());
        Sdp.Media video = sdp.media().get(0);
        assertEquals("video", video.kind());
        assertEquals("recvonly", video.direction());
        assertEquals(List.of(96, 97, 102, 103, 106, 45), video.formats().stream().map(Sdp.Format::payload).toList());
        assertEquals("VP8", video.first().encoding());
        assertEquals(90000, video.first().clockRate());
        Sdp.Format h264 = video.formats().get(2);
        assertEquals("H264", h264.encoding());
        assertEquals("42001f", h264.fmtp().get("profile-level-id"));
        assertTrue(h264.isH264Mode1() && h264.isBaselineProfile());
        assertFalse(video.formats().get(3).isH264Mode1());
        assertTrue(video.formats().get(4).isH264Mode1());
        assertFalse(video.formats().get(4).isBaselineProfile());
        Sdp.Media audio = sdp.media().get(1);
        assertEquals("OPUS", audio.first().encoding());
        assertEquals("2", audio.first().channels());
        assertEquals("application", sdp.media().get(2).kind());
        assertTrue(sdp.media().get(2).formats().isEmpty());
        assertEquals(2, sdp.media().get(2).index());
    }

    @Test
    void garbageHasNoMedia() {
        assertTrue(Sdp.parse("this is not SDP").media().isEmpty());
        assertTrue(Sdp.parse("").media().isEmpty());
        Sdp broken = Sdp.parse("v=0\nm=video 9 RTP/AVP x 96\na=rtpmap:x y\na=rtpmap:96\na=fmtp:96\n");
        assertEquals(1, broken.media().size());
        assertTrue(broken.media().get(0).formats().isEmpty(), "formats without rtpmap are skipped");
    }

    @Test
    void offerCapsCarryWhatViewersNeed() {
        assertEquals("application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=102"
                + ",packetization-mode=(string)1,profile-level-id=(string)42e01f,level-asymmetry-allowed=(string)1",
                RtpCodec.H264.offerCaps(102));
        assertEquals("application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111",
                RtpCodec.OPUS.sendCaps(111));
        assertEquals(RtpCodec.OPUS, RtpCodec.forEncodingName("opus").orElseThrow());
        assertTrue(RtpCodec.forCodec("VP9").isEmpty());
    }

    @Test
    void videoFormatsAskForTheViewersEstimateWhereTheOfferDid() {
        String offer = "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96 97 102\r\na=rtpmap:96 VP8/90000\r\n"
                + "a=rtcp-fb:96 nack\r\na=rtpmap:97 rtx/90000\r\na=fmtp:97 apt=96\r\na=rtpmap:102 H264/90000\r\n"
                + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 OPUS/48000/2\r\n";
        String asked = Sdp.askingForEstimates(offer, null);
        assertTrue(asked.contains("a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 goog-remb\r\n"), asked);
        assertTrue(asked.contains("a=rtpmap:102 H264/90000\r\na=rtcp-fb:102 goog-remb\r\n"), asked);
        assertFalse(asked.contains("97 goog-remb") || asked.contains("111 goog-remb"), "not RTX, not audio: " + asked);
        assertEquals(asked, Sdp.askingForEstimates(asked, null), "once only");

        String browserOffer = "v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=rtpmap:96 VP8/90000\r\n"
                + "a=rtcp-fb:96 goog-remb\r\n";
        assertTrue(Sdp.askingForEstimates(offer, browserOffer).contains("a=rtcp-fb:96 goog-remb"));
        assertFalse(Sdp.askingForEstimates(offer, browserOffer).contains("102 goog-remb"),
                "an answer adds only what was offered");
    }
}

