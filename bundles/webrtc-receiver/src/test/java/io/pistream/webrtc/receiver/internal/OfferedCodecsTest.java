package io.pistream.webrtc.receiver.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.Sdp;

/** What the receiver takes from an offer, m-line by m-line, for each output. No GStreamer. */
class OfferedCodecsTest {

    private static final String VIDEO = """
            m=video 9 UDP/TLS/RTP/SAVPF 96 102 103
            a=sendonly
            a=rtpmap:96 VP8/90000
            a=rtpmap:102 H264/90000
            a=fmtp:102 packetization-mode=0
            a=rtpmap:103 H264/90000
            a=fmtp:103 packetization-mode=1
            """;
    private static final String AUDIO = """
            m=audio 9 UDP/TLS/RTP/SAVPF 0 111
            a=sendonly
            a=rtpmap:0 PCMU/8000
            a=rtpmap:111 OPUS/48000/2
            """;

    private static OfferedCodecs codecs(ReceiverSession.VideoMode mode, String format) {
        return new OfferedCodecs(new ReceiverSession.Output(mode, Path.of("."), format, 0, "fakesink", ""));
    }

    @Test
    void vp8AndOpusByDefaultOneStreamOfEach() {
        OfferedCodecs codecs = codecs(ReceiverSession.VideoMode.DISCARD, "mkv");

        Object[] chosen = codecs.choose(Sdp.parse(VIDEO + AUDIO + VIDEO)).toArray();

        assertArrayEquals(new Object[] {RtpCodec.VP8.sendCaps(96), RtpCodec.OPUS.sendCaps(111), null}, chosen);
        assertEquals("VP8+OPUS", codecs.names());
    }

    @Test
    void mp4RecordingTakesH264InPacketizationMode1() {
        OfferedCodecs codecs = codecs(ReceiverSession.VideoMode.RECORD, "mp4");

        assertEquals(RtpCodec.H264.sendCaps(103), codecs.choose(Sdp.parse(VIDEO)).get(0));
        assertEquals(RtpCodec.H264, codecs.video());
        assertNull(codecs.audio());
        assertEquals("H264", codecs.names());
    }

    @Test
    void mp4RecordingTakesNoVp8AndNoSectionTheProducerDoesNotSend() {
        OfferedCodecs codecs = codecs(ReceiverSession.VideoMode.RECORD, "mp4");
        String vp8Only = "m=video 9 UDP/TLS/RTP/SAVPF 96\na=rtpmap:96 VP8/90000\n";
        String recvonly = AUDIO.replace("a=sendonly", "a=recvonly");

        assertEquals(2, codecs.choose(Sdp.parse(vp8Only + recvonly)).size());
        assertTrue(codecs.none());
        assertEquals("[H264]", codecs.acceptedVideo().toString());
    }
}
