package io.pistream.webrtc.receiver.internal;

import java.util.ArrayList;
import java.util.List;

import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.Sdp;

/**
 * Which of a producer's offered codecs the receiver takes: the first video codec it accepts (H.264 only when recording
 * to MP4, else VP8 before H.264) and Opus for audio, one stream of each at the most. Not thread-safe: the session
 * chooses on its control executor, before any media arrives.
 */
final class OfferedCodecs {

    private final List<RtpCodec> acceptedVideo;
    private RtpCodec video;
    private RtpCodec audio;

    OfferedCodecs(ReceiverSession.Output output) {
        this.acceptedVideo = output.video() == ReceiverSession.VideoMode.RECORD && output.recordFormat().equals("mp4")
                ? List.of(RtpCodec.H264) // mp4mux takes no VP8
                : List.of(RtpCodec.VP8, RtpCodec.H264);
    }

    /**
     * Chooses from the offer.
     *
     * @return for each m-line of the offer, in order, the caps of its transceiver (the offered payload type of the
     *         codec taken), or {@code null} where nothing is taken
     */
    List<String> choose(Sdp offer) {
        List<String> preferences = new ArrayList<>();
        for (Sdp.Media media : offer.media()) {
            preferences.add(choose(media));
        }
        return preferences;
    }

    /** The video codec taken, or {@code null}. */
    RtpCodec video() {
        return video;
    }

    /** The audio codec taken, or {@code null}. */
    RtpCodec audio() {
        return audio;
    }

    boolean none() {
        return video == null && audio == null;
    }

    List<RtpCodec> acceptedVideo() {
        return acceptedVideo;
    }

    /** {@code VP8+OPUS}, {@code H264}, ...: what the session shows. */
    String names() {
        List<String> names = new ArrayList<>();
        if (video != null) {
            names.add(video.name());
        }
        if (audio != null) {
            names.add(audio.name());
        }
        return String.join("+", names);
    }

    private String choose(Sdp.Media media) {
        if (media.direction().equals("recvonly") || media.direction().equals("inactive")) {
            return null;
        }
        if (media.kind().equals("video") && video == null) {
            for (RtpCodec codec : acceptedVideo) {
                Sdp.Format h264 = null;
                for (Sdp.Format format : media.formats()) {
                    if (codec == RtpCodec.VP8 && format.encoding().equals("VP8")) {
                        video = codec;
                        return codec.sendCaps(format.payload());
                    }
                    // any H.264 can be depayloaded; packetization mode 1 first (what browsers send best)
                    if (codec == RtpCodec.H264 && format.encoding().equals("H264")
                            && (h264 == null || !h264.isH264Mode1() && format.isH264Mode1())) {
                        h264 = format;
                    }
                }
                if (h264 != null) {
                    video = codec;
                    return codec.sendCaps(h264.payload());
                }
            }
        } else if (media.kind().equals("audio") && audio == null) {
            for (Sdp.Format format : media.formats()) {
                if (format.encoding().equals("OPUS")) {
                    audio = RtpCodec.OPUS;
                    return RtpCodec.OPUS.sendCaps(format.payload());
                }
            }
        }
        return null;
    }
}
