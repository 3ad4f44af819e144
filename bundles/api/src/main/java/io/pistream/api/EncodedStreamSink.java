package io.pistream.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives the encoded stream of a subscription; implemented by outputs. Methods are called on a GStreamer
 * streaming thread: they must return quickly and never block.
 */
@ConsumerType
public interface EncodedStreamSink {

    /** The caps of the buffers that follow; called before the first buffer and whenever the caps change. */
    void onCaps(String caps);

    /**
     * One encoded buffer, lent for the duration of the call ({@link EncodedBuffer#retain()} keeps it longer). The
     * first buffer a subscriber sees is a key frame.
     *
     * @return {@code false} when this sink is gone for good; the hub then ends the subscription
     */
    boolean onBuffer(EncodedBuffer buffer);

    /** The stream has stopped for good (its source was removed); no more buffers will come. */
    default void onEnd(String reason) {
    }
}
