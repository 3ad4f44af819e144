package io.pistream.gstreamer.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** libgstapp-1.0, direct mapping: the appsink and appsrc calls of the per-buffer path. */
public final class LibGstApp {

    static {
        Native.register(LibGstApp.class, NativeLibrary.getInstance("gstapp-1.0"));
    }

    private LibGstApp() {
    }

    /** Transfer full; null when no sample is ready within {@code timeout} nanoseconds. */
    public static native Pointer gst_app_sink_try_pull_sample(Pointer appsink, long timeout);

    /** Takes ownership of {@code buffer}. */
    public static native int gst_app_src_push_buffer(Pointer appsrc, Pointer buffer);

    public static native int gst_app_src_end_of_stream(Pointer appsrc);

    public static native long gst_app_src_get_current_level_buffers(Pointer appsrc);
}
