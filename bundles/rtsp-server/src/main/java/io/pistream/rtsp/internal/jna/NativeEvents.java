package io.pistream.rtsp.internal.jna;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Pointer;

import io.pistream.gstreamer.jna.Signals;

/**
 * Routes the GObject signals of gst-rtsp-server's objects to Java listeners, through the gstreamer bundle's
 * signal router ({@link Signals}), and forgets each object's routes when it is disposed or closed, or when the
 * server forgets it: native objects (a media finishing its teardown, a client closing) may emit a signal after the
 * server that connected it has stopped, and then find nothing to call. Listeners run on gst-rtsp-server's
 * threads: they must return quickly and never block.
 */
public final class NativeEvents {

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
        /**
         * {@code pre-describe-request} and {@code pre-setup-request}: answers the {@code GstRTSPStatusCode} of the
         * request, {@link RtspLib#STATUS_OK} to let gst-rtsp-server go on.
         */
        int beforeRequest(Pointer client, Pointer context);

        /** {@code send-message}: a message (normally the response to {@code context}'s request) is being sent. */
        void sending(Pointer client, Pointer context, Pointer message);

        void newSession(Pointer client, Pointer session);

        void playRequest(Pointer client, Pointer context);

        void pauseRequest(Pointer client, Pointer context);

        void closed(Pointer client);
    }

    /** The routes of each watched object, by object. */
    private static final Map<Pointer, Signals.Group> FACTORIES = new ConcurrentHashMap<>();
    private static final Map<Pointer, Signals.Group> MEDIAS = new ConcurrentHashMap<>();
    private static final Map<Pointer, Signals.Group> APPSRCS = new ConcurrentHashMap<>();
    private static final Map<Pointer, Signals.Group> SERVERS = new ConcurrentHashMap<>();
    private static final Map<Pointer, Signals.Group> CLIENTS = new ConcurrentHashMap<>();

    private NativeEvents() {
    }

    private static Signals.Group watch(Map<Pointer, Signals.Group> watched, Pointer instance) {
        Signals.Group group = new Signals.Group();
        Signals.Group previous = watched.put(instance, group);
        if (previous != null) {
            previous.close();
        }
        return group;
    }

    private static void forget(Map<Pointer, Signals.Group> watched, Pointer instance) {
        Signals.Group group = watched.remove(instance);
        if (group != null) {
            group.close();
        }
    }

    /** Routes {@code media-configure} of {@code factory} to {@code listener} until the factory is disposed. */
    public static void watchFactory(Pointer factory, FactoryListener listener) {
        Signals.Group group = watch(FACTORIES, factory);
        group.add(Signals.connect(factory, "media-configure",
                (Signals.ArgumentHandler) (emitter, media) -> listener.mediaConfigure(emitter, media)));
        group.add(Signals.onDisposed(factory, disposed -> forget(FACTORIES, factory)));
    }

    /** Tells {@code listener} when {@code media} is unprepared and when it is disposed. */
    public static void watchMedia(Pointer media, MediaListener listener) {
        Signals.Group group = watch(MEDIAS, media);
        group.add(Signals.connect(media, "unprepared", (Signals.InstanceHandler) listener::unprepared));
        group.add(Signals.onDisposed(media, disposed -> {
            forget(MEDIAS, media);
            listener.disposed(media);
        }));
    }

    /** Routes {@code need-data} of an appsrc (which must stay alive until {@link #forgetAppSrc}). */
    public static void watchAppSrc(Pointer appsrc, AppSrcListener listener) {
        watch(APPSRCS, appsrc).add(Signals.connect(appsrc, "need-data",
                (Signals.NumberHandler) (emitter, length) -> listener.needData(emitter)));
    }

    public static void forgetAppSrc(Pointer appsrc) {
        forget(APPSRCS, appsrc);
    }

    public static void watchServer(Pointer server, ServerListener listener) {
        watch(SERVERS, server).add(Signals.connect(server, "client-connected",
                (Signals.ArgumentHandler) listener::clientConnected));
    }

    public static void forgetServer(Pointer server) {
        forget(SERVERS, server);
    }

    /**
     * Routes {@code pre-describe-request}, {@code pre-setup-request}, {@code send-message}, {@code new-session},
     * {@code play-request}, {@code pause-request} and {@code closed} of {@code client}; forgotten automatically
     * when closed. A request whose handler fails is answered 500 rather than let through.
     */
    public static void watchClient(Pointer client, ClientListener listener) {
        Signals.Group group = watch(CLIENTS, client);
        for (String request : new String[] {"pre-describe-request", "pre-setup-request"}) {
            group.add(Signals.connectReplying(client, request, listener::beforeRequest,
                    RtspLib.STATUS_INTERNAL_SERVER_ERROR));
        }
        group.add(Signals.connectTwoArguments(client, "send-message", listener::sending));
        group.add(Signals.connect(client, "new-session", (Signals.ArgumentHandler) listener::newSession));
        group.add(Signals.connect(client, "play-request", (Signals.ArgumentHandler) listener::playRequest));
        group.add(Signals.connect(client, "pause-request", (Signals.ArgumentHandler) listener::pauseRequest));
        group.add(Signals.connect(client, "closed", (Signals.InstanceHandler) closed -> {
            forget(CLIENTS, client);
            listener.closed(client);
        }));
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
