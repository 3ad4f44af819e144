package io.pistream.rtsp.internal.jna;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import io.pistream.gstreamer.jna.LibGLib;

/**
 * The few functions of libgstrtspserver-1.0, libgstrtsp-1.0 and libgio-2.0 that the RTSP server needs, bound with
 * JNA direct mapping (no Java binding of gst-rtsp-server exists); GStreamer, GLib and GObject themselves are bound
 * once, in the gstreamer bundle's {@code io.pistream.gstreamer.jna}. Ownership follows the C API: "full" results are
 * owned by the caller and must be released ({@code g_object_unref}, {@code g_source_unref}, ...), "none" results
 * are borrowed.
 *
 * <p>Callbacks handed to native code must stay strongly referenced for as long as native code may call them;
 * signals go through {@code NativeEvents}.
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

    /** {@code GstRTSPAuthMethod}: RFC 2617 Digest. */
    public static final int AUTH_DIGEST = 0x02;

    /** {@code GstRTSPMethod} flags. */
    public static final int METHOD_DESCRIBE = 1;
    public static final int METHOD_SETUP = 1 << 8;

    /** {@code GstRTSPStatusCode}s the server answers with. */
    public static final int STATUS_OK = 200;
    public static final int STATUS_UNAUTHORIZED = 401;
    public static final int STATUS_FORBIDDEN = 403;
    public static final int STATUS_NOT_FOUND = 404;
    public static final int STATUS_UNSUPPORTED_TRANSPORT = 461;
    public static final int STATUS_INTERNAL_SERVER_ERROR = 500;
    public static final int STATUS_SERVICE_UNAVAILABLE = 503;

    /** {@code GST_RTSP_HDR_AUTHORIZATION} and {@code GST_RTSP_HDR_TRANSPORT} of {@code GstRTSPHeaderField}. */
    public static final int HEADER_AUTHORIZATION = 5;
    public static final int HEADER_TRANSPORT = 35;
    /** {@code GST_RTSP_MESSAGE_REQUEST} and {@code GST_RTSP_MESSAGE_RESPONSE} of {@code GstRTSPMsgType}. */
    public static final int MESSAGE_REQUEST = 1;
    public static final int MESSAGE_RESPONSE = 2;
    /** {@code GST_RTSP_OK} of {@code GstRTSPResult}. */
    public static final int RESULT_OK = 0;

    /** Token field gst-rtsp-server checks against a factory's {@code GstRTSPPermissions}. */
    public static final String TOKEN_MEDIA_FACTORY_ROLE = "media.factory.role";
    /** Permissions of a role on a factory: to see it, and to make a media of it. */
    public static final String PERMISSION_MEDIA_FACTORY_ACCESS = "media.factory.access";
    public static final String PERMISSION_MEDIA_FACTORY_CONSTRUCT = "media.factory.construct";

    /**
     * Offsets in {@code GstRTSPContext}: server, conn, client, request, uri, method (an enum, padded to a pointer),
     * auth, token, session, sessmedia, ...
     */
    private static final long CONTEXT_REQUEST_OFFSET = 3L * Native.POINTER_SIZE;
    private static final long CONTEXT_METHOD_OFFSET = 5L * Native.POINTER_SIZE;
    private static final long CONTEXT_TOKEN_OFFSET = 7L * Native.POINTER_SIZE;
    private static final long CONTEXT_SESSMEDIA_OFFSET = 9L * Native.POINTER_SIZE;
    /** Offset of {@code lower_transport} in {@code GstRTSPTransport}: after two enums. */
    private static final long TRANSPORT_LOWER_OFFSET = 8;

    private RtspLib() {
    }

    private static volatile boolean loaded;

    /** Loads every library once; throws {@link UnsatisfiedLinkError} naming the missing one. */
    public static void load() {
        new Server();
        new Rtsp();
        new Gio();
        new Libc();
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

    /** {@code ctx->request} of a {@code GstRTSPContext*} (a {@code GstRTSPMessage*}), or null. */
    public static Pointer contextRequest(Pointer context) {
        return context == null ? null : context.getPointer(CONTEXT_REQUEST_OFFSET);
    }

    /** {@code ctx->method}: the {@code GstRTSPMethod} of the request being handled. */
    public static int contextMethod(Pointer context) {
        return context == null ? 0 : context.getInt(CONTEXT_METHOD_OFFSET);
    }

    /** {@code ctx->token}: the {@code GstRTSPToken*} of the authenticated caller, or null before authentication. */
    public static Pointer contextToken(Pointer context) {
        return context == null ? null : context.getPointer(CONTEXT_TOKEN_OFFSET);
    }

    /** The status code of a response message, or 0 when {@code message} is not an RTSP response. */
    public static int responseStatus(Pointer message) {
        if (message == null || Rtsp.gst_rtsp_message_get_type(message) != MESSAGE_RESPONSE) {
            return 0; // checked first: parsing another kind of message logs a GLib critical
        }
        IntByReference code = new IntByReference();
        return Rtsp.gst_rtsp_message_parse_response(message, code, null, null) == RESULT_OK ? code.getValue() : 0;
    }

    /** The first value of a header of a message (owned by the message), or null. */
    public static String header(Pointer message, int field) {
        PointerByReference value = new PointerByReference();
        if (message == null || Rtsp.gst_rtsp_message_get_header(message, field, value, 0) != RESULT_OK
                || value.getValue() == null) {
            return null;
        }
        return value.getValue().getString(0, "UTF-8");
    }

    /** The URL of a request message as the client sent it (owned by the message), or null. */
    public static String requestUrl(Pointer request) {
        PointerByReference url = new PointerByReference();
        if (request == null || Rtsp.gst_rtsp_message_get_type(request) != MESSAGE_REQUEST
                || Rtsp.gst_rtsp_message_parse_request(request, null, url, null) != RESULT_OK
                || url.getValue() == null) {
            return null;
        }
        return url.getValue().getString(0, "UTF-8");
    }

    /** {@code transport->lower_transport} of a {@code GstRTSPTransport*}. */
    public static int lowerTransport(Pointer transport) {
        return transport.getInt(TRANSPORT_LOWER_OFFSET);
    }

    /** The message of a {@code GError*}, which is then freed. */
    public static String takeErrorMessage(Pointer error) {
        try {
            return LibGLib.errorMessage(error);
        } finally {
            if (error != null) {
                LibGLib.g_error_free(error);
            }
        }
    }

    // --- callbacks ------------------------------------------------------------------------------------------------

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

        /** The server takes its own reference on each of these. */
        public static native void gst_rtsp_server_set_mount_points(Pointer server, Pointer mounts);

        public static native void gst_rtsp_server_set_session_pool(Pointer server, Pointer pool);

        public static native void gst_rtsp_server_set_auth(Pointer server, Pointer auth);

        public static native Pointer gst_rtsp_auth_new();

        /** Since 1.16. */
        public static native void gst_rtsp_auth_set_realm(Pointer auth, String realm);

        public static native void gst_rtsp_auth_set_supported_methods(Pointer auth, int methods);

        /**
         * Since 1.16: adds (or replaces) the users of an htdigest file ({@code user:realm:HA1} lines) with
         * {@code token}; the file is read at once and nothing is changed unless every line is valid.
         */
        public static native boolean gst_rtsp_auth_parse_htdigest(Pointer auth, String path, Pointer token);

        public static native void gst_rtsp_auth_remove_digest(Pointer auth, String user);

        /** The token of callers without credentials, or null (then they are challenged). The auth refs it. */
        public static native void gst_rtsp_auth_set_default_token(Pointer auth, Pointer token);

        /** With a certificate, the server's connections are TLS; the auth refs it. */
        public static native void gst_rtsp_auth_set_tls_certificate(Pointer auth, Pointer certificate);

        /** A mini object: {@code gst_mini_object_unref} when done. */
        public static native Pointer gst_rtsp_token_new_empty();

        /** Only while the token is writable (before it is handed to an auth). */
        public static native void gst_rtsp_token_set_string(Pointer token, String field, String value);

        public static native String gst_rtsp_token_get_string(Pointer token, String field);

        /** A mini object: {@code gst_mini_object_unref} when done. */
        public static native Pointer gst_rtsp_permissions_new();

        /** Since 1.14. */
        public static native void gst_rtsp_permissions_add_role_empty(Pointer permissions, String role);

        /** Since 1.14. */
        public static native void gst_rtsp_permissions_add_permission_for_role(Pointer permissions, String role,
                String permission, boolean allowed);

        /** The factory takes its own reference. */
        public static native void gst_rtsp_media_factory_set_permissions(Pointer factory, Pointer permissions);

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

        public static native int gst_rtsp_message_get_type(Pointer message);

        public static native int gst_rtsp_message_parse_response(Pointer message, IntByReference code,
                Pointer reason, Pointer version);

        public static native int gst_rtsp_message_parse_request(Pointer message, Pointer method,
                PointerByReference url, Pointer version);

        /** {@code value} is owned by the message. */
        public static native int gst_rtsp_message_get_header(Pointer message, int field, PointerByReference value,
                int index);

        /** Transfer none. */
        public static native Pointer gst_rtsp_connection_get_read_socket(Pointer connection);

        /** Transfer none. */
        public static native Pointer gst_rtsp_connection_get_write_socket(Pointer connection);
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

        public static native int g_socket_get_fd(Pointer socket);

        /**
         * A {@code GTlsCertificate} (transfer full) from PEM: the first certificate, the chain after it, and the
         * private key found anywhere in {@code data}; null with {@code error} set. Bound here rather than in the
         * gstreamer bundle's native layer, which binds no GIO: only RTSPS needs it.
         */
        public static native Pointer g_tls_certificate_new_from_pem(Pointer data, NativeLong length,
                PointerByReference error);
    }

    /** The C library: how much a player's socket has not sent yet, which no GLib function tells. */
    public static final class Libc {
        /** {@code TIOCOUTQ} (alias {@code SIOCOUTQ}), the same on every Linux architecture pistream runs on. */
        private static final NativeLong TIOCOUTQ = new NativeLong(0x5411);

        static {
            Native.register(Libc.class, NativeLibrary.getInstance("c"));
        }

        Libc() {
        }

        private static native int ioctl(int fd, NativeLong request, IntByReference value);

        /** Bytes written to a TCP socket and not yet acknowledged by its peer, or -1 when it cannot be read. */
        public static int unsentBytes(int fd) {
            IntByReference unsent = new IntByReference();
            return fd >= 0 && ioctl(fd, TIOCOUTQ, unsent) == 0 ? unsent.getValue() : -1;
        }
    }
}
