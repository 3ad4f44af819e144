package io.pistream.gstreamer.testing;

import java.util.concurrent.atomic.AtomicLong;

import io.pistream.api.EncodedBuffer;
import io.pistream.api.EncodedStreamSink;

/** Counts what a subscriber receives, the way an output would see it. */
public final class CountingSink implements EncodedStreamSink {

    private final AtomicLong buffers = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong keyFrames = new AtomicLong();
    private volatile Boolean firstWasKeyFrame;
    private volatile long firstBufferNanos;
    private volatile String caps;
    private volatile String endReason;

    @Override
    public void onCaps(String newCaps) {
        caps = newCaps;
    }

    @Override
    public boolean onBuffer(EncodedBuffer buffer) {
        boolean key = buffer.isKeyFrame();
        if (firstWasKeyFrame == null) {
            firstWasKeyFrame = key;
            firstBufferNanos = System.nanoTime();
        }
        if (key) {
            keyFrames.incrementAndGet();
        }
        bytes.addAndGet(buffer.size());
        buffers.incrementAndGet();
        return true;
    }

    @Override
    public void onEnd(String reason) {
        endReason = reason;
    }

    public long buffers() {
        return buffers.get();
    }

    public long bytes() {
        return bytes.get();
    }

    public long keyFrames() {
        return keyFrames.get();
    }

    public Boolean firstWasKeyFrame() {
        return firstWasKeyFrame;
    }

    public long firstBufferNanos() {
        return firstBufferNanos;
    }

    public String caps() {
        return caps;
    }

    public String endReason() {
        return endReason;
    }
}
