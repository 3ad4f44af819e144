package io.pistream.gstreamer;

import com.sun.jna.Pointer;

import io.pistream.api.EncodedBuffer;
import io.pistream.api.EncodedStreamSink;
import io.pistream.gstreamer.jna.GstDirect;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.LibGstApp;
import io.pistream.gstreamer.jna.NativeBuffer;

import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * Feeds a hub subscription into an {@code appsrc} of a consumer pipeline. Buffers are handed over by reference
 * (a shallow copy without timestamps, so the consumer's appsrc stamps them on arrival with {@code do-timestamp}).
 *
 * <p>Until its pipeline first plays, the appsrc has no base time (0), and from the moment the pipeline hands out its
 * clock until it sets the base times, {@code do-timestamp} stamps a buffer with the clock's absolute time: the
 * machine's uptime, and every sink that syncs waits that long for it (an RTSP media that never played: about one
 * media start in 150 in the RTSP server's tests). Those buffers are stamped 0 here, the running time the pipeline
 * starts at.
 */
public final class AppSrcSink implements EncodedStreamSink {

    private final AppSrc appSrc;
    private final Pointer appSrcPointer;

    /** Configures {@code appSrc} as a live, self-timestamping source; create it before its pipeline starts. */
    public AppSrcSink(AppSrc appSrc) {
        this.appSrc = appSrc;
        this.appSrcPointer = Natives.getRawPointer(appSrc);
        appSrc.set("is-live", true);
        appSrc.set("do-timestamp", true);
        appSrc.set("format", 3); // GST_FORMAT_TIME
        // A consumer that stalls must not hold the shared encoder's memory: keep at most ~2 MB queued.
        appSrc.set("max-bytes", 2L * 1024 * 1024);
        appSrc.setAsString("leaky-type", "downstream");
    }

    @Override
    public void onCaps(String caps) {
        appSrc.setCaps(Caps.fromString(caps));
    }

    /** Returns {@code false} once the consumer pipeline is flushing or at end of stream. */
    @Override
    public boolean onBuffer(EncodedBuffer buffer) {
        Pointer copy = GstDirect.copyWithoutTimestamps(NativeBuffer.pointerOf(buffer));
        if (LibGst.gst_element_get_base_time(appSrcPointer) == 0) {
            GstDirect.setTimestamps(copy, 0);
        }
        int result = LibGstApp.gst_app_src_push_buffer(appSrcPointer, copy);
        return result != GstDirect.FLOW_FLUSHING && result != GstDirect.FLOW_EOS;
    }

    public AppSrc appSrc() {
        return appSrc;
    }
}
