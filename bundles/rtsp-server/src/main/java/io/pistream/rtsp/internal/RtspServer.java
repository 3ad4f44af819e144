package io.pistream.rtsp.internal;

import java.util.List;

import io.pistream.api.MediaHub;
import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;
import io.pistream.rtsp.internal.jna.RtspLib;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP server without OSGi: its life cycle and status, over the parts that do the work: the {@link MainLoop}
 * thread, the native {@link Endpoint}, the {@link Mounts} and their state machine, the {@link FeedSupervisor} of
 * media pipelines and the {@link Players}. The hub tells the mounts which sources it can serve.
 *
 * <p>Threads: the main loop thread accepts connections; gst-rtsp-server's pool threads handle clients and media
 * (their callbacks only record and hand over); the {@link ControlThread} subscribes to the hub and ends sessions.
 */
public final class RtspServer implements RtspServerStatus, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServer.class);
    private static final long STOP_TIMEOUT_MILLIS = 5000;

    /** What a registration added to the server; closing it removes the mount. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final ServerSettings settings;
    private final ControlThread control = new ControlThread();
    private final FeedSupervisor feeds;
    private final Players players;
    private final Mounts mounts;
    private final Object lifecycle = new Object();

    // guarded by lifecycle; set by start(), cleared by close()
    private MainLoop loop;
    private volatile Endpoint endpoint;
    private volatile int boundPort;

    private volatile boolean running;
    private volatile boolean closed;
    private volatile String problem = "not started";
    private volatile String urlHost;

    public RtspServer(ServerSettings settings, MediaHub hub) {
        this.settings = settings;
        this.feeds = new FeedSupervisor(hub, control);
        this.players = new Players(settings.sessionTimeoutSeconds(), control, feeds);
        this.mounts = new Mounts(settings, hub, feeds, () -> problem);
        feeds.bind(mounts, players);
    }

    /** Records why the server is not started (bad configuration); mounts wait and the status says why. */
    public void refuse(String reason) {
        problem = reason;
        mounts.notServing();
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
        synchronized (lifecycle) {
            if (closed || running) {
                throw new IllegalStateException(closed ? "closed" : "already started");
            }
            MainLoop newLoop = new MainLoop();
            Endpoint newEndpoint;
            try {
                newEndpoint = Endpoint.listen(settings, newLoop, players::connected);
            } catch (RtspServerException e) {
                newLoop.release();
                problem = e.getMessage();
                throw e;
            }
            newLoop.start(STOP_TIMEOUT_MILLIS);
            loop = newLoop;
            endpoint = newEndpoint;
            boundPort = newEndpoint.boundPort();
            urlHost = UrlHost.of(settings);
            players.serving(newEndpoint);
            running = true;
            problem = null;
            LOG.info("RTSP server listening on {} port {} ({})", settings.address(), newEndpoint.boundPort(),
                    String.join(", ", settings.protocols()));
            mounts.serving(newEndpoint, this::url);
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
        control.schedule(() -> {
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
        Endpoint stopping;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            boolean wasRunning = running;
            running = false;
            problem = "stopped";
            mounts.closeAll();
            if (!wasRunning) {
                control.shutdownNow();
                return;
            }
            stopping = endpoint;
            players.stopped();
        }
        feeds.endAll();
        stopping.shutDown();
        boolean loopStopped = loop.stop(STOP_TIMEOUT_MILLIS);
        control.shutdown(STOP_TIMEOUT_MILLIS);
        synchronized (lifecycle) {
            if (loopStopped) {
                stopping.release();
                loop.release();
            }
            endpoint = null;
        }
        LOG.info("RTSP server on port {} stopped", boundPort);
    }

    // --- mounts -------------------------------------------------------------------------------------------------

    /** Adds a mount. A path already served by another mount is refused (listed, with the reason, in status). */
    public Registration addMount(MountSpec spec) {
        return mounts.add(spec);
    }

    /** Lists a configuration refused for bad values, so that the shell tells why it is not served. */
    public Registration addRefused(String name, String path, String reason) {
        return mounts.addRefused(name, path, reason);
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
        return mounts.status(players);
    }

    @Override
    public List<RtspClient> clients() {
        return players.list();
    }

    /** The media pipelines of a path (for tests and diagnostics). */
    List<MediaFeed> feeds(String path) {
        return feeds.feeds(path);
    }

    /** Media pipelines alive (for tests: zero once every client has gone). */
    public int liveMedias() {
        return feeds.live();
    }

    /** Sessions in the pool (for tests). */
    public int sessions() {
        Endpoint current = endpoint;
        return current == null ? 0 : RtspLib.Server.gst_rtsp_session_pool_get_n_sessions(current.sessionPool());
    }

    /** The URL of a path on this server, for example {@code rtsp://192.168.1.20:8554/camera}. */
    public String url(String path) {
        return "rtsp://" + urlHost + ":" + port() + path;
    }
}
