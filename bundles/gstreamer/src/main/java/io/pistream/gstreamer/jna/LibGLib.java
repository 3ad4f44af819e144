package io.pistream.gstreamer.jna;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** libglib-2.0, direct mapping: memory, errors, lists and the main loops that native servers run on. */
public final class LibGLib {

    static {
        Native.register(LibGLib.class, NativeLibrary.getInstance("glib-2.0"));
    }

    /** {@code GSourceFunc}: return {@code true} to be called again. */
    public interface SourceFunc extends Callback {
        boolean invoke(Pointer userData);
    }

    /** Offset of {@code message} in {@code GError}: after a GQuark and a gint. */
    private static final long ERROR_MESSAGE_OFFSET = 8;

    private LibGLib() {
    }

    /** The text of a {@code gchar*} that the caller owns, which is then freed; null stays null. */
    public static String takeString(Pointer text) {
        if (text == null) {
            return null;
        }
        try {
            return text.getString(0);
        } finally {
            g_free(text);
        }
    }

    /** The message of a {@code GError*}, which is not freed; "unknown error" when there is none. */
    public static String errorMessage(Pointer error) {
        Pointer message = error == null ? null : error.getPointer(ERROR_MESSAGE_OFFSET);
        return message == null ? "unknown error" : message.getString(0);
    }

    public static native void g_free(Pointer memory);

    public static native Pointer g_error_new_literal(int domain, int code, String message);

    public static native void g_error_free(Pointer error);

    public static native void g_list_free(Pointer list);

    public static native Pointer g_main_context_new();

    public static native void g_main_context_unref(Pointer context);

    public static native void g_main_context_push_thread_default(Pointer context);

    public static native void g_main_context_pop_thread_default(Pointer context);

    public static native Pointer g_main_loop_new(Pointer context, boolean isRunning);

    public static native void g_main_loop_run(Pointer loop);

    public static native void g_main_loop_quit(Pointer loop);

    public static native boolean g_main_loop_is_running(Pointer loop);

    public static native void g_main_loop_unref(Pointer loop);

    public static native int g_source_attach(Pointer source, Pointer context);

    public static native void g_source_destroy(Pointer source);

    public static native void g_source_unref(Pointer source);

    public static native Pointer g_timeout_source_new(int intervalMillis);

    public static native void g_source_set_callback(Pointer source, SourceFunc func, Pointer data, Pointer notify);
}
