package io.pistream.webrtc.receiver.internal;

import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Pointer;

import io.pistream.gstreamer.jna.LibGst;
import io.pistream.webrtc.internal.session.WebRtcNative;

import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * Counts the buffers of one kind of media (video or audio) that reach the end of their branch, through a native probe
 * routed by its own {@link WebRtcNative} handler, and reports the first one.
 */
final class MediaCounter {

    private final AtomicLong buffers = new AtomicLong();
    private final Runnable firstBuffer;
    private volatile long key;

    /** @param firstBuffer runs on the streaming thread of the first buffer counted */
    MediaCounter(Runnable firstBuffer) {
        this.firstBuffer = firstBuffer;
    }

    /** Registers the handler; before any {@link #count}. */
    void register() {
        key = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onBuffer(Pointer pad, Pointer buffer) {
                if (buffers.incrementAndGet() == 1) {
                    firstBuffer.run();
                }
            }
        });
    }

    /** Counts the buffers that reach the element's {@code sink} pad. */
    void count(Element element) {
        Pointer pad = LibGst.gst_element_get_static_pad(Natives.getRawPointer(element), "sink");
        WebRtcNative.probeBuffers(pad, key);
        LibGst.gst_object_unref(pad);
    }

    /** Disconnects the probes: a late buffer finds nothing. */
    void unregister() {
        WebRtcNative.unregister(key);
    }

    long buffers() {
        return buffers.get();
    }
}
