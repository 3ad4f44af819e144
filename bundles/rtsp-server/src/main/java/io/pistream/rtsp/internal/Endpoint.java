package io.pistream.rtsp.internal;

import java.util.function.Consumer;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import io.pistream.gstreamer.jna.LibGLib;
import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.rtsp.internal.jna.NativeEvents;
import io.pistream.rtsp.internal.jna.RtspLib;
import io.pistream.rtsp.internal.jna.Sessions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A native {@code GstRTSPServer} listening on its address and port, attached to a {@link MainLoop}: the plain RTSP
 * one, which owns the mount points, session pool, multicast address pool and the session expiry timer, and
 * optionally an RTSPS one, which serves the same mount points and sessions over TLS. Each has its own
 * {@code GstRTSPAuth} (the RTSPS one holds the certificate) and its own client threads.
 */
final class Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    /** Client connections are spread over at most this many threads (gst-rtsp-server's default is one). */
    static final int CLIENT_THREADS = 16;
    /** How often sessions of silent clients are expired (after {@code session.timeout.s}). */
    static final int SESSION_EXPIRY_INTERVAL_MILLIS = 2000;

    private final boolean primary;
    private Pointer server;
    private Pointer mountPoints;
    private Pointer sessionPool;
    private Pointer addressPool;
    private Pointer listenSource;
    private Pointer expirySource;
    private int boundPort;

    private Endpoint(boolean primary) {
        this.primary = primary;
    }

    /**
     * Creates the plain RTSP server and binds its port on {@code loop}'s context.
     *
     * @param auth            its {@code GstRTSPAuth} (the server takes a reference)
     * @param clientConnected called on the main loop thread with each new {@code GstRTSPClient*}
     * @throws RtspServerException when the address cannot be bound; the message names address and port
     */
    static Endpoint listen(ServerSettings settings, MainLoop loop, Pointer auth, Consumer<Pointer> clientConnected)
            throws RtspServerException {
        Endpoint endpoint = new Endpoint(true);
        Pointer server = endpoint.create(settings.address(), settings.port(), auth);
        endpoint.mountPoints = RtspLib.Server.gst_rtsp_server_get_mount_points(server);
        endpoint.sessionPool = RtspLib.Server.gst_rtsp_server_get_session_pool(server);
        if (settings.multicast()) {
            endpoint.addressPool = RtspLib.Server.gst_rtsp_address_pool_new();
            if (!RtspLib.Server.gst_rtsp_address_pool_add_range(endpoint.addressPool, settings.multicastFirst(),
                    settings.multicastLast(), (short) settings.multicastFirstPort(),
                    (short) settings.multicastLastPort(), (byte) settings.multicastTtl())) {
                LOG.error("RTSP server: multicast range {}-{} refused; udp-mcast clients will be turned away",
                        settings.multicastFirst(), settings.multicastLast());
            }
        }
        endpoint.bind(settings.address(), settings.port(), "port", loop, clientConnected);
        endpoint.expirySource = Sessions.newExpiryTimer(endpoint.sessionPool, SESSION_EXPIRY_INTERVAL_MILLIS);
        loop.attach(endpoint.expirySource);
        return endpoint;
    }

    /**
     * Creates the RTSPS server on {@code settings.tlsPort()}, serving {@code primary}'s mount points and sessions.
     *
     * @param auth an auth holding the TLS certificate (the server takes a reference)
     * @throws RtspServerException when the address cannot be bound; the message names address and port
     */
    static Endpoint listenTls(ServerSettings settings, Endpoint primary, MainLoop loop, Pointer auth,
            Consumer<Pointer> clientConnected) throws RtspServerException {
        Endpoint endpoint = new Endpoint(false);
        Pointer server = endpoint.create(settings.address(), settings.tlsPort(), auth);
        endpoint.mountPoints = LibGObject.g_object_ref(primary.mountPoints);
        endpoint.sessionPool = LibGObject.g_object_ref(primary.sessionPool);
        RtspLib.Server.gst_rtsp_server_set_mount_points(server, endpoint.mountPoints);
        RtspLib.Server.gst_rtsp_server_set_session_pool(server, endpoint.sessionPool);
        endpoint.bind(settings.address(), settings.tlsPort(), "tls.port", loop, clientConnected);
        return endpoint;
    }

    private Pointer create(String address, int port, Pointer auth) {
        server = RtspLib.Server.gst_rtsp_server_new();
        RtspLib.Server.gst_rtsp_server_set_address(server, address);
        RtspLib.Server.gst_rtsp_server_set_service(server, Integer.toString(port));
        RtspLib.Server.gst_rtsp_server_set_auth(server, auth);
        Pointer threadPool = RtspLib.Server.gst_rtsp_server_get_thread_pool(server);
        RtspLib.Server.gst_rtsp_thread_pool_set_max_threads(threadPool, CLIENT_THREADS);
        LibGObject.g_object_unref(threadPool);
        return server;
    }

    private void bind(String address, int port, String portKey, MainLoop loop, Consumer<Pointer> clientConnected)
            throws RtspServerException {
        NativeEvents.watchServer(server, (emitter, client) -> clientConnected.accept(client));
        PointerByReference error = new PointerByReference();
        listenSource = RtspLib.Server.gst_rtsp_server_create_source(server, null, error);
        if (listenSource == null) {
            String reason = RtspLib.takeErrorMessage(error.getValue());
            release();
            throw new RtspServerException("cannot listen on " + address + " port " + port + ": " + reason
                    + (reason.toLowerCase().contains("in use") ? " (is another RTSP server running? change '"
                            + portKey + "' in etc/io.pistream.rtsp.cfg)" : ""));
        }
        loop.attach(listenSource);
        boundPort = RtspLib.Server.gst_rtsp_server_get_bound_port(server);
    }

    int boundPort() {
        return boundPort;
    }

    Pointer mountPoints() {
        return mountPoints;
    }

    Pointer sessionPool() {
        return sessionPool;
    }

    /** The multicast address pool, or null without {@code udp-mcast}. */
    Pointer addressPool() {
        return addressPool;
    }

    /**
     * Stops accepting connections and closes this server's client connections; the plain server also ends every
     * session (the RTSPS server's too: they share the pool) and stops expiring sessions.
     */
    void shutDown() {
        if (primary) {
            Sessions.endMedias(sessionPool, media -> true);
        }
        Sessions.closeAllClients(server);
        NativeEvents.forgetServer(server);
        LibGLib.g_source_destroy(listenSource);
        if (expirySource != null) {
            LibGLib.g_source_destroy(expirySource);
        }
    }

    /** Releases the native objects (once the main loop no longer runs them). */
    void release() {
        if (listenSource != null) {
            LibGLib.g_source_unref(listenSource);
            listenSource = null;
        }
        if (expirySource != null) {
            LibGLib.g_source_unref(expirySource);
            expirySource = null;
        }
        if (server != null) {
            NativeEvents.forgetServer(server);
        }
        for (Pointer object : new Pointer[] {addressPool, sessionPool, mountPoints, server}) {
            if (object != null) {
                LibGObject.g_object_unref(object);
            }
        }
        addressPool = null;
        sessionPool = null;
        mountPoints = null;
        server = null;
    }
}
