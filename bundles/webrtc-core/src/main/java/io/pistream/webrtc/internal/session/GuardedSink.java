package io.pistream.webrtc.internal.session;


import io.pistream.api.EncodedBuffer;
import io.pistream.api.EncodedStreamSink;
import io.pistream.gstreamer.AppSrcSink;

/**
 * Feeds an {@link AppSrcSink} until {@link #shut()}; once that returns no push is in progress or will start, so
 * the pipeline behind it can be set to NULL and freed while the hub's streaming thread keeps running.
 */
final class GuardedSink implements EncodedStreamSink {

    private final AppSrcSink target;
    private final Runnable onFirstBuffer;
    private boolean open = true;
    private boolean first = true;
    private volatile long buffers;

    GuardedSink(AppSrcSink target, Runnable onFirstBuffer) {
        this.target = target;
        this.onFirstBuffer = onFirstBuffer;
    }

    @Override
    public synchronized void onCaps(String caps) {
        if (open) {
            target.onCaps(caps);
        }
    }

    @Override
    public synchronized boolean onBuffer(EncodedBuffer buffer) {
        if (!open) {
            return false;
        }
        if (first) {
            first = false;
            onFirstBuffer.run();
        }
        buffers++;
        return target.onBuffer(buffer);
    }

    synchronized void shut() {
        open = false;
    }

    long buffers() {
        return buffers;
    }
}
