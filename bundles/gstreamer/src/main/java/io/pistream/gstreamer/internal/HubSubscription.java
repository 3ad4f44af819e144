package io.pistream.gstreamer.internal;

import io.pistream.api.EncodedStreamSink;
import io.pistream.api.Subscription;

/** A subscriber of one encoded branch. The delivery fields are touched by the branch's streaming thread only. */
final class HubSubscription implements Subscription {

    private final MediaHubCore hub;
    private final String sourceId;
    private final Rendition rendition;
    final EncodedStreamSink sink;

    volatile boolean closed;
    /** Set whenever the stream (re)starts: nothing is delivered until a key frame comes. */
    volatile boolean awaitingKeyFrame = true;
    /** The caps last announced to the sink. */
    String announcedCaps;

    HubSubscription(MediaHubCore hub, String sourceId, Rendition rendition, EncodedStreamSink sink) {
        this.hub = hub;
        this.sourceId = sourceId;
        this.rendition = rendition;
        this.sink = sink;
    }

    @Override
    public String sourceId() {
        return sourceId;
    }

    @Override
    public String codec() {
        return rendition.codec();
    }

    @Override
    public int tier() {
        return rendition.tier().index();
    }

    Rendition rendition() {
        return rendition;
    }

    @Override
    public void requestKeyFrame() {
        if (!closed) {
            hub.requestKeyFrame(this);
        }
    }

    /** Safe from any thread, including the streaming thread that delivers to this subscription. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            hub.unsubscribe(this);
        }
    }

    @Override
    public String toString() {
        return "subscription to " + sourceId + "/" + rendition();
    }
}
