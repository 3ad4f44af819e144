package io.pistream.rtsp.internal;

import java.util.function.BooleanSupplier;

import com.sun.jna.Pointer;

import io.pistream.gstreamer.jna.GstDirect;
import io.pistream.gstreamer.jna.LibGst;

/**
 * What a launch mount's media keeps of its pipeline: references to the media's bin and its first payloader, to ask
 * for key frames and to end the stream, until the media is disposed. Used from several threads.
 */
final class LaunchElements {

    private final BooleanSupplier disposed;
    private Pointer bin; // guarded by this
    private Pointer payloader; // guarded by this

    /**
     * @param bin a reference to the media's bin, owned from now on, or {@code null}
     * @param payloader a reference to its {@code pay0}, owned from now on, or {@code null}
     * @param disposed whether the media is disposed: then nothing is sent
     */
    LaunchElements(Pointer bin, Pointer payloader, BooleanSupplier disposed) {
        this.bin = bin;
        this.payloader = payloader;
        this.disposed = disposed;
    }

    synchronized void requestKeyFrame() {
        if (payloader != null && !disposed.getAsBoolean()) {
            GstDirect.requestKeyFrame(payloader);
        }
    }

    /** End of stream into the bin: it flows through the payloaders. */
    synchronized void endOfStream() {
        if (bin != null && !disposed.getAsBoolean()) {
            LibGst.gst_element_send_event(bin, LibGst.gst_event_new_eos());
        }
    }

    /** Drops the references; the media is disposed. */
    synchronized void release() {
        if (payloader != null) {
            LibGst.gst_object_unref(payloader);
            payloader = null;
        }
        if (bin != null) {
            LibGst.gst_object_unref(bin);
            bin = null;
        }
    }
}
