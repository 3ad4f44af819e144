package io.pistream.rtsp.internal.jna;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

/**
 * The few functions of libgstrtspserver-1.0 and its dependencies that the RTSP server needs, bound with JNA
 * direct mapping (no Java binding of gst-rtsp-server exists). Ownership follows the C API: "full" results are
 * owned by the caller and must be released ({@code g_object_unref}, {@code g_source_unref}, ...), "none" results
 * are borrowed.
 *
 * <p>Callbacks handed to native code must stay strongly referenced for as long as native code may call them;
 * see {@code NativeEvents}.
 */
public final class RtspLib {

    /** {@code GST_RTSP_FILTER_REMOVE}: a client filter closes the client. */
    public static final int FILTER_REMOVE = 0;
    /** {@code GST_RTSP_FILTER_KEEP}. */
    public static final int FILTER_KEEP = 1;

    /** {@code GstRTSPLowerTrans} flags. */
    public static final int LOWER_TRANS_UDP = 1;
    public static final int LOWER_TRANS_UDP_MCAST = 1 << 1;
    public static final int LOWER_TRANS_TCP = 1 << 2;
    public static final int LOWER_TRANS_HTTP = 1 << 4;
    public static final int LOWER_TRANS_TLS = 1 << 5;

    /** Offsets in {@code GstRTSPContext} (all members before them are pointers, one enum padded to 8). */
    private static final long CONTEXT_SESSMEDIA_OFFSET = 9L * Native.POINTER_SIZE;
    /** Offset of {@code lower_transport} in {@code GstRTSPTransport}: after two enums. */
    private static final long TRANSPORT_LOWER_OFFSET = 8;
    /** Offset of {@code message} in {@code GError}: after a GQuark and a gint. */
    private static final long GERROR_MESSAGE_OFFSET = 8;

    private RtspLib() {
    }

    private static volatile boolean loaded;

    /** Loads every library once; throws {@link UnsatisfiedLinkError} naming the missing one. */
    public static void load() {
        new Server();
        new Rtsp();
        new GLib();
        new GObject();
        new Gio();
        new Gst();
        new App();
        loaded = true;
    }

    public static boolean isLoaded() {
        return loaded;
    }

    // --- small helpers over struct members ----------------------------------------------------------------------

    /** {@code ctx->sessmedia} of a {@code GstRTSPContext*}, or null. */
    public static Pointer contextSessionMedia(Pointer context) {
        return context == null ? null : context.getPointer(CONTEXT_SESSMEDIA_OFFSET);
    }

    /** {@code transport->lower_transport} of a {@code GstRTSPTransport*}. */
    public static int lowerTransport(Pointer transport) {
        return transport.getInt(TRANSPORT_LOWER_OFFSET);
    }

    /** The message of a {@code GError*}, which is then freed. */
    public static String takeErrorMessage(Pointer error) {
        if (error == null) {
            return "unknown error";
        }
        try {
            Pointer message = error.getPointer(GERROR_MESSAGE_OFFSET);
            return message == null ? "unknown error" : message.getString(0);
        } finally {
            GLib.g_error_free(error);
        }
    }

    // --- callbacks ------------------------------------------------------------------------------------------------

    /** {@code need-data} of {@code GstAppSrc}. */
    public interface NeedData extends Callback {
        void invoke(Pointer appsrc, int length, Pointer userData);
    }

    /** {@code media-configure} of {@code GstRTSPMediaFactory}. */
    public interface MediaConfigure extends Callback {
        void invoke(Pointer factory, Pointer media, Pointer userData);
    }

    /** A signal with no argument ({@code unprepared} of a media, {@code closed} of a client). */
    public interface InstanceSignal extends Callback {
        void invoke(Pointer instance, Pointer userData);
    }

    /** {@code client-connected} of {@code GstRTSPServer}. */
    public interface ClientConnected extends Callback {
        void invoke(Pointer server, Pointer client, Pointer userData);
    }

    /** A request signal of {@code GstRTSPClient} ({@code play-request}, ...), with its {@code GstRTSPContext*}. */
    public interface ClientRequest extends Callback {
        void invoke(Pointer client, Pointer context, Pointer userData);
    }

    /** {@code new-session} of {@code GstRTSPClient}. */
    public interface NewSession extends Callback {
        void invoke(Pointer client, Pointer session, Pointer userData);
    }

    /** {@code GstRTSPServerClientFilterFunc}. */
    public interface ClientFilter extends Callback {
        int invoke(Pointer server, Pointer client, Pointer userData);
    }

    /** {@code GstRTSPSessionPoolFilterFunc}. */
    public interface SessionPoolFilter extends Callback {
        int invoke(Pointer pool, Pointer session, Pointer userData);
    }

    /** {@code GstRTSPSessionFilterFunc}. */
    public interface SessionFilter extends Callback {
        int invoke(Pointer session, Pointer sessionMedia, Pointer userData);
    }

    /** {@code GSourceFunc}: return {@code true} to be called again. */
    public interface SourceFunc extends Callback {
        boolean invoke(Pointer userData);
    }

    /** {@code GWeakNotify}. */
    public interface WeakNotify extends Callback {
        void invoke(Pointer userData, Pointer objectWas);
    }

    // --- libraries ------------------------------------------------------------------------------------------------

    /** libgstrtspserver-1.0 (Debian package libgstrtspserver-1.0-0). */
    public static final class Server {
        static {
            Native.register(Server.class, NativeLibrary.getInstance("gstrtspserver-1.0"));
        }

        Server() {
        }

        public static native Pointer gst_rtsp_server_new();

        public static native void gst_rtsp_server_set_address(Pointer server, String address);

        public static native void gst_rtsp_server_set_service(Pointer server, String service);

        public static native int gst_rtsp_server_get_bound_port(Pointer server);

        /** Transfer full. */
        public static native Pointer gst_rtsp_server_get_mount_points(Pointer server);

        /** Transfer full. */
        public static native Pointer gst_rtsp_server_get_session_pool(Pointer server);

        /** Transfer full. */
        public static native Pointer gst_rtsp_server_get_thread_pool(Pointer server);

        /** Binds the socket now; returns a {@code GSource*} (transfer full) or null with {@code error} set. */
        public static native Pointer gst_rtsp_server_create_source(Pointer server, Pointer cancellable,
                PointerByReference error);

        /** With a filter that never answers REF the returned list is empty (null). */
        public static native Pointer gst_rtsp_server_client_filter(Pointer server, ClientFilter func, Pointer userData);

        public static native void gst_rtsp_thread_pool_set_max_threads(Pointer pool, int maxThreads);

        public static native int gst_rtsp_session_pool_cleanup(Pointer pool);

        public static native void gst_rtsp_session_set_timeout(Pointer session, int timeoutSeconds);

        public static native int gst_rtsp_session_pool_get_n_sessions(Pointer pool);

        /** With a null filter: every session, each with a reference, in a {@code GList} to free. */
        public static native Pointer gst_rtsp_session_pool_filter(Pointer pool, SessionPoolFilter func,
                Pointer userData);

        public static native boolean gst_rtsp_session_pool_remove(Pointer pool, Pointer session);

        /** Transfer full; null when no such session. */
        public static native Pointer gst_rtsp_session_pool_find(Pointer pool, String sessionId);

        public static native String gst_rtsp_session_get_sessionid(Pointer session);

        /** With a filter that never answers REF the returned list is empty (null). */
        public static native Pointer gst_rtsp_session_filter(Pointer session, SessionFilter func, Pointer userData);

        public static native Pointer gst_rtsp_media_factory_new();

        public static native void gst_rtsp_media_factory_set_launch(Pointer factory, String launch);

        public static native void gst_rtsp_media_factory_set_shared(Pointer factory, boolean shared);

        public static native void gst_rtsp_media_factory_set_latency(Pointer factory, int latencyMillis);

        public static native void gst_rtsp_media_factory_set_protocols(Pointer factory, int protocols);

        public static native void gst_rtsp_media_factory_set_address_pool(Pointer factory, Pointer pool);

        public static native Pointer gst_rtsp_address_pool_new();

        public static native boolean gst_rtsp_address_pool_add_range(Pointer pool, String minAddress,
                String maxAddress, short minPort, short maxPort, byte ttl);

        /** Takes ownership of {@code factory}. */
        public static native void gst_rtsp_mount_points_add_factory(Pointer mounts, String path, Pointer factory);

        public static native void gst_rtsp_mount_points_remove_factory(Pointer mounts, String path);

        /** Transfer full. */
        public static native Pointer gst_rtsp_media_get_element(Pointer media);

        public static native int gst_rtsp_media_n_streams(Pointer media);

        /** Transfer none. */
        public static native Pointer gst_rtsp_media_get_stream(Pointer media, int index);

        public static native boolean gst_rtsp_stream_is_blocking(Pointer stream);

        public static native boolean gst_rtsp_stream_set_blocked(Pointer stream, boolean blocked);

        /** Transfer none. */
        public static native Pointer gst_rtsp_client_get_connection(Pointer client);

        public static native void gst_rtsp_client_close(Pointer client);

        /** Transfer none. */
        public static native Pointer gst_rtsp_session_media_get_media(Pointer sessionMedia);

        /** Transfer none; null past the last stream. */
        public static native Pointer gst_rtsp_session_media_get_transport(Pointer sessionMedia, int index);

        /** Transfer none: a {@code const GstRTSPTransport*}. */
        public static native Pointer gst_rtsp_stream_transport_get_transport(Pointer streamTransport);
    }

    /** libgstrtsp-1.0 (the RTSP protocol library of gst-plugins-base). */
    public static final class Rtsp {
        static {
            Native.register(Rtsp.class, NativeLibrary.getInstance("gstrtsp-1.0"));
        }

        Rtsp() {
        }

        public static native String gst_rtsp_connection_get_ip(Pointer connection);

        /** Transfer none. */
        public static native Pointer gst_rtsp_connection_get_read_socket(Pointer connection);
    }

    /** libglib-2.0. */
    public static final class GLib {
        static {
            Native.register(GLib.class, NativeLibrary.getInstance("glib-2.0"));
        }

        GLib() {
        }

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

        public static native void g_source_set_callback(Pointer source, SourceFunc func, Pointer data,
                Pointer notify);

        public static native Pointer g_error_new_literal(int domain, int code, String message);

        public static native void g_list_free(Pointer list);

        public static native void g_error_free(Pointer error);
    }

    /** libgobject-2.0. */
    public static final class GObject {
        static {
            Native.register(GObject.class, NativeLibrary.getInstance("gobject-2.0"));
        }

        GObject() {
        }

        public static native Pointer g_object_ref(Pointer object);

        public static native void g_object_unref(Pointer object);

        public static native NativeLong g_signal_connect_data(Pointer instance, String signal, Callback handler,
                Pointer data, Pointer destroyData, int flags);

        public static native void g_object_weak_ref(Pointer object, WeakNotify notify, Pointer data);

        /** {@code weakRef} points to pointer-sized memory that outlives the object or is cleared. */
        public static native void g_weak_ref_init(Pointer weakRef, Pointer object);

        /** A strong reference (to unref) or null once the object is being disposed. */
        public static native Pointer g_weak_ref_get(Pointer weakRef);
    }

    /** libgio-2.0. */
    public static final class Gio {
        static {
            Native.register(Gio.class, NativeLibrary.getInstance("gio-2.0"));
        }

        Gio() {
        }

        /** Transfer full; null with {@code error} set when the socket is not connected. */
        public static native Pointer g_socket_get_remote_address(Pointer socket, PointerByReference error);

        public static native short g_inet_socket_address_get_port(Pointer address);
    }

    /** libgstreamer-1.0. */
    public static final class Gst {
        static {
            Native.register(Gst.class, NativeLibrary.getInstance("gstreamer-1.0"));
        }

        Gst() {
        }

        /** Transfer full. */
        public static native Pointer gst_bin_get_by_name(Pointer bin, String name);

        public static native void gst_object_unref(Pointer object);

        public static native Pointer gst_event_new_eos();

        /** Takes ownership of {@code event}. */
        public static native boolean gst_element_send_event(Pointer element, Pointer event);

        /** Copies {@code error}. */
        public static native Pointer gst_message_new_error(Pointer source, Pointer error, String debug);

        /** Takes ownership of {@code message}. */
        public static native boolean gst_element_post_message(Pointer element, Pointer message);

        public static native int gst_resource_error_quark();
    }

    /** libgstapp-1.0. */
    public static final class App {
        static {
            Native.register(App.class, NativeLibrary.getInstance("gstapp-1.0"));
        }

        App() {
        }

        public static native int gst_app_src_end_of_stream(Pointer appsrc);

        public static native long gst_app_src_get_current_level_buffers(Pointer appsrc);
    }
}
