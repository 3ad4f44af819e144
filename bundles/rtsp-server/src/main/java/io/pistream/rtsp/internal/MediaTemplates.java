package io.pistream.rtsp.internal;

import io.pistream.api.Codecs;

/**
 * The fixed pipeline descriptions of hub mounts. They contain no configuration value: source ids and paths never
 * reach a launch line. The appsrcs are found by name in {@code media-configure} and fed from the media hub.
 */
final class MediaTemplates {

    static final String VIDEO_SOURCE = "videosrc";
    static final String AUDIO_SOURCE = "audiosrc";

    private static final String APPSRC = "is-live=true format=time do-timestamp=true";

    /**
     * No parser: the hub's encoder branches already end in {@code h264parse} (whole access units, SPS and PPS at every
     * key frame), and a parser in every client's media would repeat that work for each player. The payloader finds
     * SPS and PPS in the stream for the SDP's {@code sprop-parameter-sets}.
     */
    private static final String VIDEO = "appsrc name=" + VIDEO_SOURCE + " " + APPSRC
            + " ! rtph264pay name=pay0 pt=96 config-interval=-1";
    private static final String OPUS = "appsrc name=" + AUDIO_SOURCE + " " + APPSRC
            + " ! rtpopuspay name=pay1 pt=97";
    private static final String AAC = "appsrc name=" + AUDIO_SOURCE + " " + APPSRC
            + " ! aacparse ! rtpmp4gpay name=pay1 pt=97";

    private MediaTemplates() {
    }

    /** The launch line of a hub mount: H.264 video, plus audio in {@code audioCodec} when not null. */
    static String hub(String audioCodec) {
        if (audioCodec == null) {
            return "( " + VIDEO + " )";
        }
        String audio = switch (audioCodec) {
            case Codecs.OPUS -> OPUS;
            case MountSpec.AAC -> AAC;
            default -> throw new IllegalArgumentException("No RTP payloader for audio codec " + audioCodec);
        };
        return "( " + VIDEO + " " + audio + " )";
    }

    /** What a publication serves, for logs and the shell. */
    static String describe(MountSpec spec, boolean withAudio) {
        if (spec.isLaunch()) {
            return "launch line";
        }
        String text = "H.264 from '" + spec.video() + "'";
        if (withAudio) {
            text += " + " + spec.audioCodec() + " from '" + spec.audio() + "'";
        }
        return text;
    }
}
