package io.pistream.api;

import com.sun.jna.Pointer;

/**
 * Receives the encoded stream of a subscription. Methods are called on a GStreamer streaming thread: they must
 * return quickly and never block.
 */
public interface EncodedStreamSink {

    /** The caps of the buffers that follow; called before the first buffer and whenever the caps change. */
    void onCaps(String caps);

    /**
     * One encoded buffer (a native {@code GstBuffer*}), borrowed for the duration of the call: take a reference
     * ({@code gst_mini_object_ref}) to keep or push it. The first buffer a subscriber sees is a key frame.
     *
     * @return {@code false} when this sink is gone for good; the hub then ends the subscription
     */
    boolean onBuffer(Pointer buffer);

    /** The stream has stopped for good (its source was removed); no more buffers will come. */
    default void onEnd(String reason) {
    }
}
