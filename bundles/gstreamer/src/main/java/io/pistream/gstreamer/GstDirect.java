package io.pistream.gstreamer;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * Direct JNA bindings of the few GStreamer functions on the per-buffer path. Going through the gst1-java-core
 * wrappers costs 30-100 µs and garbage per buffer; these calls cost a few µs and allocate nothing.
 */
public final class GstDirect {

    /** {@code GST_FLOW_OK}. */
    public static final int FLOW_OK = 0;
    /** {@code GST_FLOW_FLUSHING}: the element is not running (stopped or being torn down). */
    public static final int FLOW_FLUSHING = -2;
    /** {@code GST_FLOW_EOS}. */
    public static final int FLOW_EOS = -3;
    /** {@code GST_CLOCK_TIME_NONE}. */
    public static final long CLOCK_TIME_NONE = -1L;

    private static final int BUFFER_FLAG_DELTA_UNIT = 1 << 13;
    /** Offset of {@code GstMiniObject.flags}: after a GType (pointer-sized) and two gints. */
    private static final long MINI_OBJECT_FLAGS_OFFSET = Native.POINTER_SIZE + 8L;
    /** {@code GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_META | GST_BUFFER_COPY_MEMORY}: a shallow copy without timestamps. */
    private static final int COPY_WITHOUT_TIMESTAMPS = 1 | 4 | 8;

    private GstDirect() {
    }

    /** Whether the buffer is a key frame (or a buffer of a codec without delta units). */
    public static boolean isKeyFrame(Pointer buffer) {
        return (buffer.getInt(MINI_OBJECT_FLAGS_OFFSET) & BUFFER_FLAG_DELTA_UNIT) == 0;
    }

    /**
     * A new buffer sharing the memory of {@code buffer} but with no timestamps, so that a consumer pipeline
     * running on its own clock stamps it on arrival. The caller owns the result.
     */
    public static Pointer copyWithoutTimestamps(Pointer buffer) {
        return Core.gst_buffer_copy_region(buffer, COPY_WITHOUT_TIMESTAMPS, new NativeLong(0), new NativeLong(-1));
    }

    /** The caps as text; the native string is freed. */
    public static String capsToString(Pointer caps) {
        Pointer text = Core.gst_caps_to_string(caps);
        try {
            return text.getString(0);
        } finally {
            GLib.g_free(text);
        }
    }

    /** The pipeline graph in Graphviz dot form (all details). */
    public static String binToDot(Pointer bin) {
        Pointer text = Core.gst_debug_bin_to_dot_data(bin, 15);
        try {
            return text.getString(0);
        } finally {
            GLib.g_free(text);
        }
    }

    /** Asks the encoders upstream of {@code element} for a key frame with its headers. */
    public static boolean requestKeyFrame(Pointer element) {
        Pointer event = Video.gst_video_event_new_upstream_force_key_unit(CLOCK_TIME_NONE, true, 0);
        return Core.gst_element_send_event(element, event);
    }

    /** libgstreamer-1.0. */
    public static final class Core {
        static {
            Native.register(Core.class, NativeLibrary.getInstance("gstreamer-1.0"));
        }

        private Core() {
        }

        public static native Pointer gst_mini_object_ref(Pointer object);

        public static native void gst_mini_object_unref(Pointer object);

        public static native Pointer gst_sample_get_buffer(Pointer sample);

        public static native Pointer gst_sample_get_caps(Pointer sample);

        public static native Pointer gst_caps_to_string(Pointer caps);

        public static native boolean gst_caps_is_equal(Pointer caps1, Pointer caps2);

        public static native NativeLong gst_buffer_get_size(Pointer buffer);

        public static native Pointer gst_buffer_copy_region(Pointer buffer, int flags, NativeLong offset, NativeLong size);

        /** Takes ownership of {@code event}. */
        public static native boolean gst_element_send_event(Pointer element, Pointer event);

        public static native Pointer gst_debug_bin_to_dot_data(Pointer bin, int details);

        /** Whether GStreamer traps SIGSEGV while loading plugins; must be off inside a JVM (see GstInit). */
        public static native void gst_segtrap_set_enabled(boolean enabled);
    }

    /** libgstapp-1.0. */
    public static final class App {
        static {
            Native.register(App.class, NativeLibrary.getInstance("gstapp-1.0"));
        }

        private App() {
        }

        public static native Pointer gst_app_sink_try_pull_sample(Pointer appsink, long timeout);

        /** Takes ownership of {@code buffer}. */
        public static native int gst_app_src_push_buffer(Pointer appsrc, Pointer buffer);
    }

    /** libgstvideo-1.0. */
    public static final class Video {
        static {
            Native.register(Video.class, NativeLibrary.getInstance("gstvideo-1.0"));
        }

        private Video() {
        }

        public static native Pointer gst_video_event_new_upstream_force_key_unit(long runningTime, boolean allHeaders,
                int count);
    }

    /** libglib-2.0. */
    public static final class GLib {
        static {
            Native.register(GLib.class, NativeLibrary.getInstance("glib-2.0"));
        }

        private GLib() {
        }

        public static native void g_free(Pointer memory);
    }

    /** libgobject-2.0. Callbacks passed here must stay strongly referenced while connected. */
    public static final class GObject {
        static {
            Native.register(GObject.class, NativeLibrary.getInstance("gobject-2.0"));
        }

        private GObject() {
        }

        public static native NativeLong g_signal_connect_data(Pointer instance, String signal, Callback handler,
                Pointer data, Pointer destroyData, int flags);

        public static native void g_signal_handler_disconnect(Pointer instance, NativeLong handlerId);
    }
}
