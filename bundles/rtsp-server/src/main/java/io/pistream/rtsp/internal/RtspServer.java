package io.pistream.rtsp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import io.pistream.api.Codecs;
import io.pistream.api.Encoder;
import io.pistream.api.MediaHub;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;
import io.pistream.rtsp.internal.jna.NativeEvents;
import io.pistream.rtsp.internal.jna.RtspLib;
import io.pistream.rtsp.internal.jna.Sessions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP server without OSGi: a {@code GstRTSPServer} running on its own {@code GMainContext} and thread, its
 * mounts, and the clients connected to it. Sources and encoders are announced by the caller (the DS component,
 * or a test); a hub mount is served while its video source and an H.264 encoder exist.
 *
 * <p>Threads: the main loop thread accepts connections; gst-rtsp-server's pool threads handle clients and media
 * (their callbacks only record and hand over); a single control thread subscribes to the hub and ends sessions.
 * Mount state is guarded by {@code lock}, never held while waiting for anything.
 */
public final class RtspServer implements RtspServerStatus, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServer.class);

    /** Client connections are spread over at most this many threads (gst-rtsp-server's default is one). */
    static final int CLIENT_THREADS = 16;
    /** How often sessions of silent clients are expired (after {@code session.timeout.s}). */
    static final int SESSION_EXPIRY_INTERVAL_MILLIS = 2000;
    /** Time given to players to receive the end of stream before their sessions are ended server-side. */
    static final long END_GRACE_MILLIS = 1000;
    private static final long STOP_TIMEOUT_MILLIS = 5000;
    /** When to ask again for a key frame that did not come (the hub drops requests closer than 200 ms). */
    static final long[] KEY_FRAME_RETRY_MILLIS = {250, 1000};
    /** How long an unblocked media gets to flow again before it is ended. */
    static final long STALL_RECHECK_MILLIS = 3000;

    /** What a registration added to the server; closing it removes the mount. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final ServerSettings settings;
    private final MediaHub hub;
    private final ScheduledExecutorService control;
    private final Object lock = new Object();

    // guarded by lock
    private final Map<String, Mount> mounts = new LinkedHashMap<>();
    private final Map<String, MediaSource> sources = new HashMap<>();
    private final List<Encoder> encoders = new ArrayList<>();

    private final Map<Pointer, MediaFeed> feeds = new ConcurrentHashMap<>();
    private final Map<Pointer, TrackedClient> clients = new ConcurrentHashMap<>();

    // native state, set by start() and cleared by close()
    private Pointer context;
    private Pointer loop;
    private Pointer server;
    private Pointer mountPoints;
    private volatile Pointer sessionPool;
    private Pointer addressPool;
    private Pointer listenSource;
    private Pointer expirySource;
    private Thread loopThread;

    private volatile boolean running;
    private volatile boolean closed;
    private volatile String problem = "not started";
    private volatile int boundPort;
    private volatile String urlHost;

    public RtspServer(ServerSettings settings, MediaHub hub) {
        this.settings = settings;
        this.hub = hub;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "pistream-rtsp-control");
            thread.setDaemon(true);
            return thread;
        });
        // On close, pending delayed tasks (key frame retries, grace periods) are dropped, not awaited.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.control = executor;
    }

    // --- life cycle ---------------------------------------------------------------------------------------------

    /** Records why the server is not started (bad configuration); mounts wait and the status says why. */
    public void refuse(String reason) {
        synchronized (lock) {
            problem = reason;
            for (Mount mount : mounts.values()) {
                refresh(mount);
            }
        }
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws RtspServerException when the native library is missing or the address cannot be bound (port in
     *                             use); the message names the address and port
     */
    public void start() throws RtspServerException {
        try {
            RtspLib.load();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            problem = "the native gst-rtsp-server library is missing (Debian package libgstrtspserver-1.0-0): "
                    + e.getMessage();
            throw new RtspServerException(problem, e);
        }
        synchronized (lock) {
            if (closed || running) {
                throw new IllegalStateException(closed ? "closed" : "already started");
            }
            context = RtspLib.GLib.g_main_context_new();
            loop = RtspLib.GLib.g_main_loop_new(context, false);
            server = RtspLib.Server.gst_rtsp_server_new();
            RtspLib.Server.gst_rtsp_server_set_address(server, settings.address());
            RtspLib.Server.gst_rtsp_server_set_service(server, Integer.toString(settings.port()));
            Pointer threadPool = RtspLib.Server.gst_rtsp_server_get_thread_pool(server);
            RtspLib.Server.gst_rtsp_thread_pool_set_max_threads(threadPool, CLIENT_THREADS);
            RtspLib.GObject.g_object_unref(threadPool);
            mountPoints = RtspLib.Server.gst_rtsp_server_get_mount_points(server);
            sessionPool = RtspLib.Server.gst_rtsp_server_get_session_pool(server);
            if (settings.multicast()) {
                addressPool = RtspLib.Server.gst_rtsp_address_pool_new();
                if (!RtspLib.Server.gst_rtsp_address_pool_add_range(addressPool, settings.multicastFirst(),
                        settings.multicastLast(), (short) settings.multicastFirstPort(),
                        (short) settings.multicastLastPort(), (byte) settings.multicastTtl())) {
                    LOG.error("RTSP server: multicast range {}-{} refused; udp-mcast clients will be turned away",
                            settings.multicastFirst(), settings.multicastLast());
                }
            }
            NativeEvents.watchServer(server, (emitter, client) -> onClientConnected(client));

            PointerByReference error = new PointerByReference();
            listenSource = RtspLib.Server.gst_rtsp_server_create_source(server, null, error);
            if (listenSource == null) {
                String reason = RtspLib.takeErrorMessage(error.getValue());
                problem = "cannot listen on " + settings.address() + " port " + settings.port() + ": " + reason
                        + (reason.toLowerCase().contains("in use") ? " (is another RTSP server running? change "
                                + "'port' in etc/io.pistream.rtsp.cfg)" : "");
                releaseNative();
                throw new RtspServerException(problem);
            }
            RtspLib.GLib.g_source_attach(listenSource, context);
            boundPort = RtspLib.Server.gst_rtsp_server_get_bound_port(server);
            expirySource = Sessions.newExpiryTimer(sessionPool, SESSION_EXPIRY_INTERVAL_MILLIS);
            RtspLib.GLib.g_source_attach(expirySource, context);

            Pointer loopContext = context;
            Pointer mainLoop = loop;
            loopThread = new Thread(() -> {
                RtspLib.GLib.g_main_context_push_thread_default(loopContext);
                try {
                    RtspLib.GLib.g_main_loop_run(mainLoop);
                } finally {
                    RtspLib.GLib.g_main_context_pop_thread_default(loopContext);
                }
            }, "pistream-rtsp-loop");
            loopThread.setDaemon(true);
            loopThread.start();
            // A quit before the thread enters g_main_loop_run would be lost (run sets the loop running again).
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_TIMEOUT_MILLIS);
            while (!RtspLib.GLib.g_main_loop_is_running(mainLoop) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }

            urlHost = hostForUrls();
            running = true;
            problem = null;
            LOG.info("RTSP server listening on {} port {} ({})", settings.address(), boundPort,
                    String.join(", ", settings.protocols()));
            for (Mount mount : mounts.values()) {
                refresh(mount);
            }
        }
    }

    /**
     * Starts now if possible, else keeps trying every {@code retryMillis} until it succeeds or the server is
     * closed (the port may be held by a server that is still stopping). The first failure is logged as an error.
     */
    public void startOrRetry(long retryMillis) {
        try {
            start();
        } catch (RtspServerException e) {
            if (!RtspLib.isLoaded()) {
                LOG.error("RTSP server not started: {}", e.getMessage());
                return; // a missing library does not come back by waiting
            }
            LOG.error("RTSP server not started: {}; retrying every {} s", e.getMessage(), retryMillis / 1000);
            scheduleRetry(retryMillis);
        }
    }

    private void scheduleRetry(long retryMillis) {
        schedule(() -> {
            if (closed || running) {
                return;
            }
            try {
                start();
            } catch (RtspServerException e) {
                LOG.debug("RTSP server still not started: {}", e.getMessage());
                scheduleRetry(retryMillis);
            } catch (IllegalStateException e) {
                // closed or started meanwhile
            }
        }, retryMillis);
    }

    /** Removes every mount, ends every session and client, stops the main loop and releases the server. */
    @Override
    public void close() {
        List<MediaFeed> toEnd;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            boolean wasRunning = running;
            running = false;
            problem = "stopped";
            for (Mount mount : mounts.values()) {
                mount.removed = true;
                if (mount.published()) {
                    unpublish(mount);
                }
            }
            mounts.clear();
            if (!wasRunning) {
                control.shutdownNow();
                return;
            }
            toEnd = new ArrayList<>(feeds.values());
        }
        for (MediaFeed feed : toEnd) {
            feed.end();
        }
        Sessions.endMedias(sessionPool, media -> true);
        Sessions.closeAllClients(server);
        NativeEvents.forgetServer(server);
        RtspLib.GLib.g_source_destroy(listenSource);
        RtspLib.GLib.g_source_destroy(expirySource);
        RtspLib.GLib.g_main_loop_quit(loop);
        try {
            loopThread.join(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean loopStopped = !loopThread.isAlive();
        if (!loopStopped) {
            Throwable where = new Throwable("pistream-rtsp-loop stack");
            where.setStackTrace(loopThread.getStackTrace());
            LOG.warn("RTSP server main loop did not stop within {} ms; its context is left allocated",
                    STOP_TIMEOUT_MILLIS, where);
        }
        control.shutdown();
        try {
            control.awaitTermination(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            if (loopStopped) {
                releaseNative();
            }
        }
        LOG.info("RTSP server on port {} stopped", boundPort);
    }

    /** Releases native objects; with the lock held. */
    private void releaseNative() {
        if (listenSource != null) {
            RtspLib.GLib.g_source_unref(listenSource);
            listenSource = null;
        }
        if (expirySource != null) {
            RtspLib.GLib.g_source_unref(expirySource);
            expirySource = null;
        }
        if (server != null) {
            NativeEvents.forgetServer(server);
        }

        for (Pointer object : new Pointer[] {addressPool, sessionPool, mountPoints, server}) {
            if (object != null) {
                RtspLib.GObject.g_object_unref(object);
            }
        }
        addressPool = null;
        sessionPool = null;
        mountPoints = null;
        server = null;
        if (loop != null) {
            RtspLib.GLib.g_main_loop_unref(loop);
            loop = null;
        }
        if (context != null) {
            RtspLib.GLib.g_main_context_unref(context);
            context = null;
        }
    }

    // --- sources and encoders -----------------------------------------------------------------------------------

    public void sourceAdded(MediaSource source) {
        synchronized (lock) {
            sources.put(source.id(), source);
            refreshAll(true);
        }
    }

    public void sourceRemoved(MediaSource source) {
        synchronized (lock) {
            // By identity: the source may have been renamed since it was added.
            if (sources.values().removeIf(known -> known == source)) {
                refreshAll(true);
            }
        }
    }

    /** A source was reconfigured: its id or its problem may have changed. */
    public void sourceUpdated(MediaSource source) {
        synchronized (lock) {
            sources.values().removeIf(known -> known == source);
            sources.put(source.id(), source);
            refreshAll(true);
        }
    }

    public void encoderAdded(Encoder encoder) {
        synchronized (lock) {
            encoders.add(encoder);
            refreshAll(true);
        }
    }

    public void encoderRemoved(Encoder encoder) {
        synchronized (lock) {
            if (encoders.remove(encoder)) {
                refreshAll(true);
            }
        }
    }

    private boolean codecAvailable(String codec, MediaKind kind) {
        for (Encoder encoder : encoders) {
            if (encoder.codec().equals(codec) && encoder.kind() == kind && encoder.isAvailable()) {
                return true;
            }
        }
        return false;
    }

    // --- mounts -------------------------------------------------------------------------------------------------

    /** Adds a mount. A path already served by another mount is refused (listed, with the reason, in status). */
    public Registration addMount(MountSpec spec) {
        Mount mount;
        synchronized (lock) {
            Mount owner = owner(spec.path());
            if (owner != null) {
                String reason = "path " + spec.path() + " is already served by " + owner.name;
                LOG.error("RTSP mount {} refused: {}", spec.name(), reason);
                mount = new Mount(spec);
                mount.state = Mount.State.REFUSED;
                mount.detail = reason;
            } else {
                mount = new Mount(spec);
            }
            mounts.put(mount.name + "#" + System.identityHashCode(mount), mount);
            refresh(mount);
        }
        Mount added = mount;
        return () -> removeMount(added);
    }

    /** Lists a configuration refused for bad values, so that the shell tells why it is not served. */
    public Registration addRefused(String name, String path, String reason) {
        Mount mount = new Mount(name, path, reason);
        synchronized (lock) {
            mounts.put(mount.name + "#" + System.identityHashCode(mount), mount);
        }
        return () -> {
            synchronized (lock) {
                mounts.values().remove(mount);
            }
        };
    }

    private void removeMount(Mount mount) {
        List<MediaFeed> toEnd;
        synchronized (lock) {
            if (!mounts.values().remove(mount)) {
                return;
            }
            mount.removed = true;
            if (mount.published()) {
                unpublish(mount);
                LOG.info("RTSP mount {} removed: {} no longer served", mount.name, mount.url);
            } else {
                LOG.info("RTSP mount {} removed", mount.name);
            }
            toEnd = new ArrayList<>(mount.feeds.values());
            // A mount refused for the same path can take over.
            for (Mount other : mounts.values()) {
                if (other.spec != null && other.state == Mount.State.REFUSED && other.spec.path().equals(
                        mount.spec == null ? null : mount.spec.path()) && owner(other.spec.path()) == null) {
                    other.state = Mount.State.WAITING;
                    refresh(other);
                    break;
                }
            }
        }
        endFeeds(toEnd, "mount " + mount.name + " removed");
    }

    /** The mount that serves or may serve a path (not refused), or null. */
    private Mount owner(String path) {
        for (Mount mount : mounts.values()) {
            if (mount.spec != null && mount.state != Mount.State.REFUSED && mount.spec.path().equals(path)) {
                return mount;
            }
        }
        return null;
    }

    private void refreshAll(boolean retryAudio) {
        for (Mount mount : mounts.values()) {
            if (retryAudio) {
                mount.audioFailure = null;
            }
            refresh(mount);
        }
    }

    /** Publishes, re-publishes or withdraws a mount after a change. With the lock held. */
    private void refresh(Mount mount) {
        if (mount.spec == null || mount.removed || mount.state == Mount.State.REFUSED) {
            return;
        }
        if (!running) {
            mount.state = Mount.State.WAITING;
            mount.detail = "the RTSP server is not running" + (problem == null ? "" : ": " + problem);
            return;
        }
        MountSpec spec = mount.spec;
        String missing = null;
        boolean withAudio = false;
        String audioNote = null;
        if (!spec.isLaunch()) {
            MediaSource video = sources.get(spec.video());
            if (video == null) {
                missing = "video source '" + spec.video() + "' is not available";
            } else if (video.problem() != null) {
                missing = "video source '" + spec.video() + "' cannot run: " + video.problem();
            } else if (video.kind() != MediaKind.VIDEO) {
                missing = "source '" + spec.video() + "' is not a video source";
            } else if (!codecAvailable(Codecs.H264, MediaKind.VIDEO)) {
                missing = "no H.264 encoder is available";
            }
            if (spec.audio() != null) {
                MediaSource audio = sources.get(spec.audio());
                if (audio == null) {
                    audioNote = "audio source '" + spec.audio() + "' is not available";
                } else if (audio.problem() != null) {
                    audioNote = "audio source '" + spec.audio() + "' cannot run: " + audio.problem();
                } else if (audio.kind() != MediaKind.AUDIO) {
                    audioNote = "source '" + spec.audio() + "' is not an audio source";
                } else if (!codecAvailable(spec.audioCodec(), MediaKind.AUDIO)) {
                    audioNote = "no " + spec.audioCodec() + " encoder is available";
                } else if (mount.audioFailure != null) {
                    audioNote = "audio failed: " + mount.audioFailure;
                } else {
                    withAudio = true;
                }
            }
        }
        if (missing != null) {
            boolean wasPublished = mount.published();
            boolean changed = mount.state != Mount.State.WAITING || !missing.equals(mount.detail);
            mount.state = Mount.State.WAITING;
            mount.detail = missing;
            if (wasPublished) {
                unpublish(mount);
                LOG.info("RTSP mount {} withdrawn from {}: {}", mount.name, mount.url, missing);
                endFeeds(new ArrayList<>(mount.feeds.values()), missing);
            } else if (changed) {
                LOG.info("RTSP mount {} ({}) waiting: {}", mount.name, spec.path(), missing);
            }
            return;
        }
        String description = MediaTemplates.describe(spec, withAudio) + (spec.shared() ? ", shared" : "")
                + (audioNote == null ? "" : "; without audio: " + audioNote);
        if (mount.published() && mount.audioPublished == withAudio && mount.state == Mount.State.SERVING) {
            mount.detail = description;
            return;
        }
        if (mount.published()) {
            unpublish(mount); // media already playing keep running; new clients get the new publication
        }
        publish(mount, withAudio);
        mount.state = Mount.State.SERVING;
        mount.detail = description;
        LOG.info("RTSP mount {} serving {} ({})", mount.name, mount.url, description);
    }

    private void publish(Mount mount, boolean withAudio) {
        MountSpec spec = mount.spec;
        Pointer factory = RtspLib.Server.gst_rtsp_media_factory_new();
        RtspLib.Server.gst_rtsp_media_factory_set_launch(factory,
                spec.isLaunch() ? spec.launch() : MediaTemplates.hub(withAudio ? spec.audioCodec() : null));
        RtspLib.Server.gst_rtsp_media_factory_set_shared(factory, spec.shared());
        RtspLib.Server.gst_rtsp_media_factory_set_latency(factory, settings.latencyMillis());
        RtspLib.Server.gst_rtsp_media_factory_set_protocols(factory, settings.protocolFlags());
        if (addressPool != null) {
            RtspLib.Server.gst_rtsp_media_factory_set_address_pool(factory, addressPool);
        }
        mount.generation++;
        mount.audioPublished = withAudio;
        mount.url = url(spec.path());
        NativeEvents.watchFactory(factory, (emitter, media) -> onMediaConfigure(mount, media));
        mount.factory = RtspLib.GObject.g_object_ref(factory);
        RtspLib.Server.gst_rtsp_mount_points_add_factory(mountPoints, spec.path(), factory);
    }

    private void unpublish(Mount mount) {
        RtspLib.Server.gst_rtsp_mount_points_remove_factory(mountPoints, mount.spec.path());
        RtspLib.GObject.g_object_unref(mount.factory);
        mount.factory = null;
    }

    // --- media --------------------------------------------------------------------------------------------------

    /** {@code media-configure}, on a gst-rtsp-server thread: record the media and subscribe off this thread. */
    private void onMediaConfigure(Mount mount, Pointer media) {
        MediaFeed feed = MediaFeed.configure(this, mount, media);
        feeds.put(media, feed);
        mount.feeds.put(media, feed);
        NativeEvents.watchMedia(media, feed);
        if (!running || mount.removed) {
            feed.end();
            return;
        }
        LOG.debug("RTSP mount {}: new media pipeline", mount.spec.path());
        feed.subscribeSoon();
    }

    /** Subscribes a media to the hub on the control thread (called by the media, at most once at a time). */
    void subscribe(MediaFeed feed) {
        execute(() -> {
            feed.subscribe(hub);
            // The hub forces a key frame for a new subscriber, but drops a request that comes within 200 ms of
            // the previous one; ask again if nothing came.
            for (long delay : KEY_FRAME_RETRY_MILLIS) {
                schedule(() -> {
                    if (!feed.flowing() && !feed.isEnded() && !feed.isDisposed()) {
                        feed.requestKeyFrame();
                    }
                }, delay);
            }
        });
    }

    void feedUnprepared(MediaFeed feed) {
        LOG.debug("RTSP mount {}: media pipeline unprepared", feed.mount.spec.path());
    }

    void feedGone(MediaFeed feed) {
        feeds.remove(feed.media, feed);
        feed.mount.feeds.remove(feed.media, feed);
        LOG.debug("RTSP mount {}: media pipeline released", feed.mount.spec.path());
    }

    /** The hub ended the video of a media (its source went away): end the media, publish afresh if possible. */
    void videoEnded(MediaFeed feed, String reason) {
        execute(() -> {
            List<MediaFeed> toEnd = new ArrayList<>();
            synchronized (lock) {
                Mount mount = feed.mount;
                if (!feed.isEnded()) {
                    toEnd.add(feed);
                }
                if (!mount.removed && mount.published() && feed.generation == mount.generation) {
                    // The shared media of this publication is at its end: new clients need a new one.
                    LOG.info("RTSP mount {}: stream ended ({}); clients of {} are disconnected", mount.name,
                            reason, mount.url);
                    unpublish(mount);
                    for (MediaFeed other : mount.feeds.values()) {
                        if (other.generation == feed.generation && other != feed) {
                            toEnd.add(other);
                        }
                    }
                    mount.state = Mount.State.WAITING;
                    refresh(mount);
                }
            }
            endFeeds(toEnd, reason);
        });
    }

    /**
     * A playing hub media does not take its buffers any more (see {@link MediaFeed#unblockStreams()}): unblock its
     * streams; if that does not help, end it so that its players reconnect rather than wait forever.
     */
    void mediaStalled(MediaFeed feed) {
        execute(() -> {
            long queued = feed.queuedBuffers();
            String streams = feed.unblockStreams();
            LOG.warn("RTSP mount {}: a playing media pipeline holds {} buffers ({}); streams unblocked",
                    feed.mount.spec.path(), queued, streams);
            schedule(() -> {
                if (feed.isEnded() || feed.isDisposed() || feed.isUnprepared()) {
                    return;
                }
                long stillQueued = feed.queuedBuffers();
                if (stillQueued > MediaFeed.STALLED_BUFFERS) {
                    LOG.warn("RTSP mount {}: media pipeline still stalled ({} buffers); its players are "
                            + "disconnected so that they reconnect", feed.mount.spec.path(), stillQueued);
                    endFeeds(List.of(feed), "media pipeline stalled");
                } else {
                    LOG.info("RTSP mount {}: media pipeline flows again", feed.mount.spec.path());
                }
            }, STALL_RECHECK_MILLIS);
        });
    }

    /** The hub ended the audio of a media: video continues; new clients get what is still available. */
    void audioEnded(MediaFeed feed, String reason) {
        LOG.info("RTSP mount {}: audio ended ({})", feed.mount.spec.path(), reason);
    }

    /** A media could not subscribe to its audio: publish the mount without audio until sources change. */
    void audioUnavailable(MediaFeed feed, String reason) {
        synchronized (lock) {
            Mount mount = feed.mount;
            if (!mount.removed && mount.audioPublished) {
                mount.audioFailure = reason;
                refresh(mount);
            }
        }
    }

    /** Ends medias: end of stream now, then, after a grace period, their sessions and their clients' connections. */
    private void endFeeds(List<MediaFeed> toEnd, String reason) {
        if (toEnd.isEmpty()) {
            return;
        }
        for (MediaFeed feed : toEnd) {
            feed.end();
        }
        Set<MediaFeed> ending = new HashSet<>(toEnd);
        schedule(() -> endSessions(ending, reason), END_GRACE_MILLIS);
    }

    /** Ends the sessions on these medias and closes their clients' connections. On the control thread. */
    private void endSessions(Set<MediaFeed> ending, String reason) {
        Pointer pool;
        synchronized (lock) {
            pool = sessionPool;
        }
        if (pool == null || !running) {
            return;
        }
        // A media pointer identifies a feed only while that feed is registered: addresses are reused.
        int ended = Sessions.endMedias(pool, media -> ending.contains(feeds.get(media)));
        int disconnected = 0;
        for (TrackedClient client : clients.values()) {
            if (!Collections.disjoint(client.medias, ending)) {
                client.close();
                disconnected++;
            }
        }
        if (ended > 0 || disconnected > 0) {
            LOG.info("RTSP: ended {} session(s) and closed {} client connection(s): {}", ended, disconnected,
                    reason);
        }
    }

    // --- clients ------------------------------------------------------------------------------------------------

    /** {@code client-connected}, on the main loop thread. */
    private void onClientConnected(Pointer client) {
        TrackedClient tracked = new TrackedClient(this, client);
        clients.put(client, tracked);
        NativeEvents.watchClient(client, tracked);
        LOG.info("RTSP client {} connected", tracked.address);
    }

    /** {@code play-request}, on a client thread. */
    void clientPlays(TrackedClient client, Pointer media) {
        MediaFeed feed = feeds.get(media);
        if (feed == null) {
            return;
        }
        client.medias.add(feed);
        feed.playing();
        String previous = client.path;
        client.path = feed.mount.spec.path();
        // A key frame now, and once more shortly: the first may be dropped by the hub's rate limit or reach the
        // media before this client's transport is linked.
        feed.requestKeyFrame();
        schedule(() -> {
            if (!feed.isDisposed() && !feed.isEnded()) {
                feed.requestKeyFrame();
            }
        }, KEY_FRAME_RETRY_MILLIS[0]);
        if (!client.path.equals(previous)) {
            LOG.info("RTSP client {} plays {} over {}", client.address, client.path, client.transport);
        }
    }

    /** {@code pause-request}, on a client thread. */
    void clientPauses(TrackedClient client, Pointer media) {
        MediaFeed feed = feeds.get(media);
        if (feed != null) {
            feed.paused();
        }
    }

    /**
     * {@code closed}, on a client thread. gst-rtsp-server has already released the medias of the client's
     * sessions (stop-on-disconnect) but keeps the empty sessions until they time out: remove them now.
     */
    void clientClosed(TrackedClient client) {
        clients.remove(client.client, client);
        if (!client.sessionIds.isEmpty()) {
            execute(() -> {
                Pointer pool = sessionPool;
                if (pool != null && running) {
                    for (String id : client.sessionIds) {
                        Sessions.remove(pool, id);
                    }
                }
            });
        }
        LOG.info("RTSP client {} disconnected{}", client.address,
                client.path == null ? "" : " (played " + client.path + " over " + client.transport + ")");
    }

    // --- status -------------------------------------------------------------------------------------------------

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public String address() {
        return settings.address();
    }

    @Override
    public int port() {
        return boundPort != 0 ? boundPort : settings.port();
    }

    @Override
    public List<RtspMount> mounts() {
        List<RtspMount> result = new ArrayList<>();
        synchronized (lock) {
            for (Mount mount : mounts.values()) {
                MountSpec spec = mount.spec;
                int playing = 0;
                for (TrackedClient client : clients.values()) {
                    if (mount.feeds.values().stream().anyMatch(client.medias::contains)) {
                        playing++;
                    }
                }
                result.add(new RtspMount(mount.name, mount.path(),
                        mount.state == Mount.State.SERVING ? mount.url : null,
                        spec == null ? null : spec.isLaunch() ? "launch" : "hub",
                        spec == null ? null : spec.video(), spec == null ? null : spec.audio(),
                        spec != null && spec.shared(), mount.state.name().toLowerCase(), mount.detail,
                        (int) mount.feeds.values().stream().filter(feed -> !feed.isDisposed()).count(), playing));
            }
        }
        return result;
    }

    @Override
    public List<RtspClient> clients() {
        List<RtspClient> result = new ArrayList<>();
        for (TrackedClient client : clients.values()) {
            result.add(client.info());
        }
        result.sort((a, b) -> a.connectedAt().compareTo(b.connectedAt()));
        return result;
    }

    int sessionTimeoutSeconds() {
        return settings.sessionTimeoutSeconds();
    }

    /** The media pipelines of a path (for tests and diagnostics). */
    List<MediaFeed> feeds(String path) {
        return feeds.values().stream().filter(feed -> feed.mount.spec.path().equals(path)).toList();
    }

    /** Media pipelines alive (for tests: zero once every client has gone). */
    public int liveMedias() {
        return feeds.size();
    }

    /** Sessions in the pool (for tests). */
    public int sessions() {
        Pointer pool = sessionPool;
        return pool == null ? 0 : RtspLib.Server.gst_rtsp_session_pool_get_n_sessions(pool);
    }

    /** The URL of a path on this server, for example {@code rtsp://192.168.1.20:8554/camera}. */
    public String url(String path) {
        return "rtsp://" + urlHost + ":" + port() + path;
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private void execute(Runnable task) {
        try {
            control.execute(() -> runSafely(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("RTSP server stopped; task dropped");
        }
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            control.schedule(() -> runSafely(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("RTSP server stopped; task dropped");
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("RTSP server task failed", e);
        }
    }

    /** The host to put in URLs: the bound address, or the machine's first LAN address when bound to all. */
    private String hostForUrls() {
        if (!settings.wildcard()) {
            String address = settings.address();
            return address.contains(":") ? "[" + address + "]" : address;
        }
        try {
            String fallback = null;
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!network.isUp() || network.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        if (address.isSiteLocalAddress()) {
                            return address.getHostAddress();
                        }
                        if (fallback == null && !address.isLinkLocalAddress()) {
                            fallback = address.getHostAddress();
                        }
                    }
                }
            }
            if (fallback != null) {
                return fallback;
            }
        } catch (SocketException e) {
            LOG.debug("Cannot list network interfaces", e);
        }
        return "127.0.0.1";
    }
}
