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
 * The native {@code GstRTSPServer} listening on its address and port: its mount points, session pool, multicast
 * address pool, listening socket and session expiry timer, all attached to a {@link MainLoop}.
 */
final class Endpoint {

    private static final Logger LOG = LoggerFactory.getLogger(Endpoint.class);

    /** Client connections are spread over at most this many threads (gst-rtsp-server's default is one). */
    static final int CLIENT_THREADS = 16;
    /** How often sessions of silent clients are expired (after {@code session.timeout.s}). */
    static final int SESSION_EXPIRY_INTERVAL_MILLIS = 2000;

    private Pointer server;
    private Pointer mountPoints;
    private Pointer sessionPool;
    private Pointer addressPool;
    private Pointer listenSource;
    private Pointer expirySource;
    private int boundPort;

    private Endpoint() {
    }

    /**
     * Creates the server and binds its port on {@code loop}'s context.
     *
     * @param clientConnected called on the main loop thread with each new {@code GstRTSPClient*}
     * @throws RtspServerException when the address cannot be bound; the message names address and port
     */
    static Endpoint listen(ServerSettings settings, MainLoop loop, Consumer<Pointer> clientConnected)
            throws RtspServerException {
        Endpoint endpoint = new Endpoint();
        Pointer server = RtspLib.Server.gst_rtsp_server_new();
        endpoint.server = server;
        RtspLib.Server.gst_rtsp_server_set_address(server, settings.address());
        RtspLib.Server.gst_rtsp_server_set_service(server, Integer.toString(settings.port()));
        Pointer threadPool = RtspLib.Server.gst_rtsp_server_get_thread_pool(server);
        RtspLib.Server.gst_rtsp_thread_pool_set_max_threads(threadPool, CLIENT_THREADS);
        LibGObject.g_object_unref(threadPool);
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
        NativeEvents.watchServer(server, (emitter, client) -> clientConnected.accept(client));

        PointerByReference error = new PointerByReference();
        endpoint.listenSource = RtspLib.Server.gst_rtsp_server_create_source(server, null, error);
        if (endpoint.listenSource == null) {
            String reason = RtspLib.takeErrorMessage(error.getValue());
            endpoint.release();
            throw new RtspServerException("cannot listen on " + settings.address() + " port " + settings.port()
                    + ": " + reason + (reason.toLowerCase().contains("in use") ? " (is another RTSP server running? "
                            + "change 'port' in etc/io.pistream.rtsp.cfg)" : ""));
        }
        loop.attach(endpoint.listenSource);
        endpoint.boundPort = RtspLib.Server.gst_rtsp_server_get_bound_port(server);
        endpoint.expirySource = Sessions.newExpiryTimer(endpoint.sessionPool, SESSION_EXPIRY_INTERVAL_MILLIS);
        loop.attach(endpoint.expirySource);
        return endpoint;
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

    /** Ends every session and client connection, and stops accepting connections and expiring sessions. */
    void shutDown() {
        Sessions.endMedias(sessionPool, media -> true);
        Sessions.closeAllClients(server);
        NativeEvents.forgetServer(server);
        LibGLib.g_source_destroy(listenSource);
        LibGLib.g_source_destroy(expirySource);
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
