package io.pistream.api;

import java.util.List;

/**
 * A running capture pipeline and its encoded branches.
 *
 * @param sourceId        the source captured
 * @param state           GStreamer state of the pipeline, or {@code RESTARTING} while it waits to be rebuilt
 * @param restarts        how many times it was rebuilt after an error
 * @param lastError       the last error reported by the pipeline, or null
 * @param encoders        one entry per codec and tier encoded
 * @param frames          raw frames (or audio buffers) captured since the stream started, restarts included
 * @param framesPerSecond raw frames (or audio buffers) per second over the last few seconds
 */
public record StreamStatus(String sourceId, String state, int restarts, String lastError, List<EncoderStatus> encoders,
        long frames, double framesPerSecond) {

    /** A status without capture counters, as before they were counted. */
    public StreamStatus(String sourceId, String state, int restarts, String lastError, List<EncoderStatus> encoders) {
        this(sourceId, state, restarts, lastError, encoders, 0, 0);
    }

    /**
     * One encoded branch.
     *
     * @param codec          the codec
     * @param encoder        the encoder's description
     * @param subscribers    how many subscriptions share this encoder
     * @param buffers        buffers produced since the branch started
     * @param bitrate        bits per second over the last few seconds
     * @param caps           the encoded caps, or null before the first buffer
     * @param keyFrames      key frames among {@code buffers}
     * @param bytes          bytes produced since the branch started
     * @param tier           the tier of the source's quality ladder encoded, 0 for the top ({@link Tier})
     * @param width          width of the encoded picture (from its caps, else as configured), 0 if not known
     * @param height         height of the encoded picture, 0 if not known
     * @param targetKbps     the tier's target bitrate in kbit/s, 0 for the encoder's own setting
     */
    public record EncoderStatus(String codec, String encoder, int subscribers, long buffers, long bitrate, String caps,
            long keyFrames, long bytes, int tier, int width, int height, int targetKbps) {

        /** A status of the top tier without its size, as before tiers existed. */
        public EncoderStatus(String codec, String encoder, int subscribers, long buffers, long bitrate, String caps,
                long keyFrames, long bytes) {
            this(codec, encoder, subscribers, buffers, bitrate, caps, keyFrames, bytes, 0, 0, 0, 0);
        }

        /** The tier encoded, with its size as measured: its {@code toString()} suits tables. */
        public Tier asTier() {
            return new Tier(tier, width, height, targetKbps);
        }

        /** A status without key frame and byte counts, as before they were counted. */
        public EncoderStatus(String codec, String encoder, int subscribers, long buffers, long bitrate, String caps) {
            this(codec, encoder, subscribers, buffers, bitrate, caps, 0, 0);
        }
    }
}
