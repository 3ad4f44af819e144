package io.pistream.api;

import java.util.List;

/**
 * A running capture pipeline and its encoded branches.
 *
 * @param sourceId  the source captured
 * @param state     GStreamer state of the pipeline, or {@code RESTARTING} while it waits to be rebuilt
 * @param restarts  how many times it was rebuilt after an error
 * @param lastError the last error reported by the pipeline, or null
 * @param encoders  one entry per codec encoded
 */
public record StreamStatus(String sourceId, String state, int restarts, String lastError, List<EncoderStatus> encoders) {

    /**
     * One encoded branch.
     *
     * @param codec          the codec
     * @param encoder        the encoder's description
     * @param subscribers    how many subscriptions share this encoder
     * @param buffers        buffers produced since the branch started
     * @param bitrate        bits per second over the last few seconds
     * @param caps           the encoded caps, or null before the first buffer
     */
    public record EncoderStatus(String codec, String encoder, int subscribers, long buffers, long bitrate, String caps) {
    }
}
