package io.pistream.rtsp.internal.jna;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Callback;
import com.sun.jna.CallbackThreadInitializer;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes the GObject signals of gst-rtsp-server to Java listeners.
 *
 * <p>The JNA callbacks are static: native objects (a media finishing its teardown, a client closing) may emit a
 * signal after the server that connected it has stopped, and a collected callback crashes the JVM. Each callback
 * looks its listener up by the emitting instance and does nothing when the instance is no longer registered.
 * Callbacks run on gst-rtsp-server's threads: listeners must return quickly and never block.
 */
public final class NativeEvents {

    private static final Logger LOG = LoggerFactory.getLogger(NativeEvents.class);

    /** Listener of a {@code GstRTSPMediaFactory}. */
    public interface FactoryListener {
        void mediaConfigure(Pointer factory, Pointer media);
    }

    /**
     * Listener of a {@code GstRTSPMedia}. A reusable media may be unprepared and prepared again before it is
     * disposed; {@link #disposed} is the last call.
     */
    public interface MediaListener {
        void unprepared(Pointer media);

        void disposed(Pointer media);
    }

    /** Listener of a {@code GstAppSrc}'s {@code need-data}, on its streaming thread. */
    public interface AppSrcListener {
        void needData(Pointer appsrc);
    }

    /** Listener of a {@code GstRTSPServer}. */
    public interface ServerListener {
        void clientConnected(Pointer server, Pointer client);
    }

    /** Listener of a {@code GstRTSPClient}. */
    public interface ClientListener {
        void newSession(Pointer client, Pointer session);

        void playRequest(Pointer client, Pointer context);

        void pauseRequest(Pointer client, Pointer context);

        void closed(Pointer client);
    }

    private static final Map<Pointer, FactoryListener> FACTORIES = new ConcurrentHashMap<>();
    private static final Map<Pointer, MediaListener> MEDIAS = new ConcurrentHashMap<>();
    private static final Map<Pointer, AppSrcListener> APPSRCS = new ConcurrentHashMap<>();
    private static final Map<Pointer, ServerListener> SERVERS = new ConcurrentHashMap<>();
    private static final Map<Pointer, ClientListener> CLIENTS = new ConcurrentHashMap<>();

    private static final RtspLib.MediaConfigure MEDIA_CONFIGURE = (factory, media, userData) -> {
        FactoryListener listener = FACTORIES.get(factory);
        if (listener != null) {
            try {
                listener.mediaConfigure(factory, media);
            } catch (RuntimeException | Error e) {
                LOG.error("media-configure handler failed", e);
            }
        }
    };

    private static final RtspLib.WeakNotify FACTORY_DISPOSED = (userData, factory) -> FACTORIES.remove(factory);

    private static final RtspLib.InstanceSignal MEDIA_UNPREPARED = (media, userData) -> {
        MediaListener listener = MEDIAS.get(media);
        if (listener != null) {
            try {
                listener.unprepared(media);
            } catch (RuntimeException | Error e) {
                LOG.error("unprepared handler failed", e);
            }
        }
    };

    private static final RtspLib.WeakNotify MEDIA_DISPOSED = (userData, media) -> {
        MediaListener listener = MEDIAS.remove(media);
        if (listener != null) {
            try {
                listener.disposed(media);
            } catch (RuntimeException | Error e) {
                LOG.error("media disposal handler failed", e);
            }
        }
    };

    private static final RtspLib.NeedData NEED_DATA = (appsrc, length, userData) -> {
        AppSrcListener listener = APPSRCS.get(appsrc);
        if (listener != null) {
            try {
                listener.needData(appsrc);
            } catch (RuntimeException | Error e) {
                LOG.error("need-data handler failed", e);
            }
        }
    };

    private static final RtspLib.ClientConnected CLIENT_CONNECTED = (server, client, userData) -> {
        ServerListener listener = SERVERS.get(server);
        if (listener != null) {
            try {
                listener.clientConnected(server, client);
            } catch (RuntimeException | Error e) {
                LOG.error("client-connected handler failed", e);
            }
        }
    };

    private static final RtspLib.ClientRequest CLIENT_PLAY_REQUEST = (client, context, userData) -> {
        ClientListener listener = CLIENTS.get(client);
        if (listener != null) {
            try {
                listener.playRequest(client, context);
            } catch (RuntimeException | Error e) {
                LOG.error("play-request handler failed", e);
            }
        }
    };

    private static final RtspLib.ClientRequest CLIENT_PAUSE_REQUEST = (client, context, userData) -> {
        ClientListener listener = CLIENTS.get(client);
        if (listener != null) {
            try {
                listener.pauseRequest(client, context);
            } catch (RuntimeException | Error e) {
                LOG.error("pause-request handler failed", e);
            }
        }
    };

    private static final RtspLib.NewSession CLIENT_NEW_SESSION = (client, session, userData) -> {
        ClientListener listener = CLIENTS.get(client);
        if (listener != null) {
            try {
                listener.newSession(client, session);
            } catch (RuntimeException | Error e) {
                LOG.error("new-session handler failed", e);
            }
        }
    };

    private static final RtspLib.InstanceSignal CLIENT_CLOSED = (client, userData) -> {
        ClientListener listener = CLIENTS.remove(client);
        if (listener != null) {
            try {
                listener.closed(client);
            } catch (RuntimeException | Error e) {
                LOG.error("closed handler failed", e);
            }
        }
    };

    static {
        for (Callback callback : new Callback[] {MEDIA_CONFIGURE, FACTORY_DISPOSED, MEDIA_UNPREPARED, MEDIA_DISPOSED, NEED_DATA, CLIENT_CONNECTED,
                CLIENT_NEW_SESSION, CLIENT_PLAY_REQUEST, CLIENT_PAUSE_REQUEST, CLIENT_CLOSED}) {
            // Keep gst-rtsp-server's threads attached: detaching after each call costs time and printed
            // "JNA: could not detach thread" for media-configure.
            Native.setCallbackThreadInitializer(callback, new CallbackThreadInitializer(true, false, "rtsp-native"));
        }
    }

    private NativeEvents() {
    }

    /** Routes {@code media-configure} of {@code factory} to {@code listener} until the factory is disposed. */
    public static void watchFactory(Pointer factory, FactoryListener listener) {
        FACTORIES.put(factory, listener);
        RtspLib.GObject.g_signal_connect_data(factory, "media-configure", MEDIA_CONFIGURE, null, null, 0);
        RtspLib.GObject.g_object_weak_ref(factory, FACTORY_DISPOSED, null);
    }

    /** Tells {@code listener} when {@code media} is unprepared and when it is disposed. */
    public static void watchMedia(Pointer media, MediaListener listener) {
        MEDIAS.put(media, listener);
        RtspLib.GObject.g_signal_connect_data(media, "unprepared", MEDIA_UNPREPARED, null, null, 0);
        RtspLib.GObject.g_object_weak_ref(media, MEDIA_DISPOSED, null);
    }

    /** Routes {@code need-data} of an appsrc (which must stay alive until {@link #forgetAppSrc}). */
    public static void watchAppSrc(Pointer appsrc, AppSrcListener listener) {
        APPSRCS.put(appsrc, listener);
        RtspLib.GObject.g_signal_connect_data(appsrc, "need-data", NEED_DATA, null, null, 0);
    }

    public static void forgetAppSrc(Pointer appsrc) {
        APPSRCS.remove(appsrc);
    }

    public static void watchServer(Pointer server, ServerListener listener) {
        SERVERS.put(server, listener);
        RtspLib.GObject.g_signal_connect_data(server, "client-connected", CLIENT_CONNECTED, null, null, 0);
    }

    public static void forgetServer(Pointer server) {
        SERVERS.remove(server);
    }

    /**
     * Routes {@code new-session}, {@code play-request}, {@code pause-request} and {@code closed} of
     * {@code client}; forgotten
     * automatically when closed.
     */
    public static void watchClient(Pointer client, ClientListener listener) {
        CLIENTS.put(client, listener);
        RtspLib.GObject.g_signal_connect_data(client, "new-session", CLIENT_NEW_SESSION, null, null, 0);
        RtspLib.GObject.g_signal_connect_data(client, "play-request", CLIENT_PLAY_REQUEST, null, null, 0);
        RtspLib.GObject.g_signal_connect_data(client, "pause-request", CLIENT_PAUSE_REQUEST, null, null, 0);
        RtspLib.GObject.g_signal_connect_data(client, "closed", CLIENT_CLOSED, null, null, 0);
    }

    /** Media still watched, across all servers (for leak checks). */
    public static int watchedMedias() {
        return MEDIAS.size();
    }

    /** Clients still watched, across all servers (for leak checks). */
    public static int watchedClients() {
        return CLIENTS.size();
    }
}
