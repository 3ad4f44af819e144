package io.pistream.rtsp.internal;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.internal.jna.NativeEvents;
import io.pistream.rtsp.internal.jna.RtspLib;

/**
 * A connected client. We hold a reference on the {@code GstRTSPClient} from {@code client-connected} until its
 * {@code closed} signal, so that the server can close it when its mount goes away.
 *
 * <p>Medias are remembered as {@link MediaFeed} objects, never as {@code GstRTSPMedia*} alone: the address of a
 * disposed media is soon reused by a new one.
 */
final class TrackedClient implements NativeEvents.ClientListener {

    final Pointer client;
    /** The client's IP address: what failed logins are counted and throttled by. */
    final String ip;
    /** IP and port, for logs and the shell. */
    final String address;
    /** Whether it came through the RTSPS (TLS) server. */
    final boolean secure;
    final Instant connectedAt = Instant.now();
    private final Players players;
    /** The sessions this client created. */
    final Set<String> sessionIds = ConcurrentHashMap.newKeySet();
    /** The medias this client played. */
    final Set<MediaFeed> medias = ConcurrentHashMap.newKeySet();
    private boolean released; // guarded by this
    volatile String path;
    volatile String transport;
    /** The user it logged in as, once a DESCRIBE or SETUP succeeded; null with authentication off. */
    volatile String user;
    /** Whether its place among the players was confirmed by a successful request. Guarded by the Admission. */
    boolean placeConfirmed;
    /** Set once its connection is to be closed after a refusal. Guarded by the Admission. */
    boolean closing;

    TrackedClient(Players players, Pointer client, boolean secure) {
        this.players = players;
        this.client = LibGObject.g_object_ref(client);
        this.secure = secure;
        Pointer connection = RtspLib.Server.gst_rtsp_client_get_connection(client);
        String clientIp = connection == null ? null : RtspLib.Rtsp.gst_rtsp_connection_get_ip(connection);
        this.ip = clientIp == null ? "?" : clientIp;
        this.address = remoteAddress(connection, ip);
    }

    @Override
    public int beforeRequest(Pointer requesting, Pointer context) {
        return players.admission().beforeRequest(this, context);
    }

    @Override
    public void sending(Pointer sendingClient, Pointer context, Pointer message) {
        players.admission().sending(this, context, message);
    }

    @Override
    public void newSession(Pointer sessionOf, Pointer session) {
        RtspLib.Server.gst_rtsp_session_set_timeout(session, players.sessionTimeoutSeconds());
        String id = RtspLib.Server.gst_rtsp_session_get_sessionid(session);
        if (id != null) {
            sessionIds.add(id);
        }
    }

    @Override
    public void playRequest(Pointer playing, Pointer context) {
        Pointer sessionMedia = RtspLib.contextSessionMedia(context);
        if (sessionMedia == null) {
            return;
        }
        Pointer media = RtspLib.Server.gst_rtsp_session_media_get_media(sessionMedia);
        Pointer streamTransport = RtspLib.Server.gst_rtsp_session_media_get_transport(sessionMedia, 0);
        if (streamTransport != null) {
            Pointer transportInfo = RtspLib.Server.gst_rtsp_stream_transport_get_transport(streamTransport);
            if (transportInfo != null) {
                transport = transportName(RtspLib.lowerTransport(transportInfo));
            }
        }
        if (media != null) {
            players.clientPlays(this, media);
        }
    }

    @Override
    public void pauseRequest(Pointer pausing, Pointer context) {
        Pointer sessionMedia = RtspLib.contextSessionMedia(context);
        Pointer media = sessionMedia == null ? null : RtspLib.Server.gst_rtsp_session_media_get_media(sessionMedia);
        if (media != null) {
            players.clientPauses(this, media);
        }
    }

    @Override
    public void closed(Pointer closedClient) {
        synchronized (this) {
            released = true;
        }
        players.clientClosed(this);
        LibGObject.g_object_unref(client);
    }

    /**
     * Closes the connection from the server side. A reference is held across the call: {@code closed} is emitted
     * inside it and drops every other reference, and the client must not be finalized while
     * {@code gst_rtsp_client_close} still holds its lock.
     */
    void close() {
        Pointer reference;
        synchronized (this) {
            if (released) {
                return;
            }
            reference = LibGObject.g_object_ref(client);
        }
        try {
            RtspLib.Server.gst_rtsp_client_close(reference);
        } finally {
            LibGObject.g_object_unref(reference);
        }
    }

    RtspClient info() {
        return new RtspClient(address, path, transport, connectedAt, user, secure);
    }

    static String transportName(int lowerTransport) {
        if ((lowerTransport & RtspLib.LOWER_TRANS_HTTP) != 0) {
            return "HTTP";
        }
        if ((lowerTransport & RtspLib.LOWER_TRANS_TCP) != 0) {
            return "TCP";
        }
        if ((lowerTransport & RtspLib.LOWER_TRANS_UDP_MCAST) != 0) {
            return "UDP-multicast";
        }
        if ((lowerTransport & RtspLib.LOWER_TRANS_UDP) != 0) {
            return "UDP";
        }
        return "unknown";
    }

    /** The file descriptor of this client's connection (for RTSP over TCP, also its media's), or -1. */
    int socketFd() {
        Pointer connection = RtspLib.Server.gst_rtsp_client_get_connection(client);
        Pointer socket = connection == null ? null : RtspLib.Rtsp.gst_rtsp_connection_get_write_socket(connection);
        return socket == null ? -1 : RtspLib.Gio.g_socket_get_fd(socket);
    }

    private static String remoteAddress(Pointer connection, String ip) {
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        if (connection == null) {
            return host;
        }
        Pointer socket = RtspLib.Rtsp.gst_rtsp_connection_get_read_socket(connection);
        if (socket == null) {
            return host;
        }
        PointerByReference error = new PointerByReference();
        Pointer remote = RtspLib.Gio.g_socket_get_remote_address(socket, error);
        if (remote == null) {
            RtspLib.takeErrorMessage(error.getValue());
            return host;
        }
        try {
            return host + ":" + (RtspLib.Gio.g_inet_socket_address_get_port(remote) & 0xffff);
        } finally {
            LibGObject.g_object_unref(remote);
        }
    }
}
