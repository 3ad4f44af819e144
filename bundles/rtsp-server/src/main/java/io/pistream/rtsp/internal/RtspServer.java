package io.pistream.rtsp.internal;

import java.util.List;

import com.sun.jna.Pointer;

import io.pistream.api.MediaHub;
import io.pistream.api.security.AccessControl;
import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.pki.TlsMaterial;
import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;
import io.pistream.rtsp.internal.jna.RtspLib;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP server without OSGi: its life cycle and status, over the parts that do the work: the {@link MainLoop}
 * thread, the native {@link Endpoint}s (RTSP, and RTSPS when configured and the device certificate exists), the
 * {@link Mounts} and their state machine, the {@link FeedSupervisor} of media pipelines, the {@link Players}, and
 * the door: {@link DigestLogins} (who may log in), {@link RtspRoles} (which mount needs which role) and
 * {@link Admission} (throttled addresses, failed logins, the cap on players), with {@link AccountsWatch} following
 * changes of the users and {@link RtspsListener} running RTSPS. The hub tells the mounts which sources it can
 * serve; {@link AccessControl} tells the door who the users are.
 *
 * <p>Threads: the main loop thread accepts connections; gst-rtsp-server's pool threads handle clients and media
 * (their callbacks only record and hand over); the {@link ControlThread} subscribes to the hub, ends sessions,
 * reloads the users and starts RTSPS.
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
    private final Admission admission;
    private final Players players;
    private final Mounts mounts;
    private final DigestLogins logins;
    private final AccountsWatch accounts;
    private final Object lifecycle = new Object();
    private final RtspsListener rtsps;

    // guarded by lifecycle; set by start(), cleared by close()
    private MainLoop loop;
    private volatile Endpoint endpoint;
    private volatile int boundPort;
    /** The {@code GstRTSPAuth} of the plain endpoint (our reference). */
    private Pointer auth;

    private volatile boolean running;
    private volatile boolean closed;
    private volatile String problem = "not started";
    private volatile String urlHost;

    public RtspServer(ServerSettings settings, MediaHub hub, AccessControl access) {
        this.settings = settings;
        this.feeds = new FeedSupervisor(hub, control);
        this.admission = new Admission(access, settings.maxPlayers(), control);
        this.players = new Players(settings.sessionTimeoutSeconds(), control, feeds, admission);
        this.mounts = new Mounts(settings, hub, feeds, () -> problem);
        this.logins = new DigestLogins(access);
        this.accounts = new AccountsWatch(access, control, logins, players);
        this.rtsps = new RtspsListener(settings, control, logins, players, lifecycle);
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
            accounts.start(); // first, so that no change is missed between loading the users and watching them
            Pointer newAuth = RtspLib.Server.gst_rtsp_auth_new();
            // the users are in place before the first connection is accepted
            logins.attach(newAuth);
            Endpoint newEndpoint;
            try {
                newEndpoint = Endpoint.listen(settings, newLoop, newAuth, client -> players.connected(client, false));
            } catch (RtspServerException e) {
                logins.detach(newAuth);
                LibGObject.g_object_unref(newAuth);
                newLoop.release();
                problem = e.getMessage();
                throw e;
            }
            auth = newAuth;
            newLoop.start(STOP_TIMEOUT_MILLIS);
            loop = newLoop;
            endpoint = newEndpoint;
            boundPort = newEndpoint.boundPort();
            urlHost = UrlHost.of(settings);
            players.serving(newEndpoint);
            running = true;
            problem = null;
            LOG.info("RTSP server listening on {} port {} ({}; at most {} players)", settings.address(),
                    newEndpoint.boundPort(), String.join(", ", settings.protocols()), settings.maxPlayers());
            mounts.serving(newEndpoint, this::url);
            rtsps.serving(newEndpoint, newLoop);
        }
    }

    // --- RTSPS ------------------------------------------------------------------------------------------------

    /**
     * The device certificate appeared or was re-issued ({@code null}: its service went away; RTSPS keeps the
     * certificate it has, whose files stay valid). Applied on the control thread.
     */
    public void useCertificate(TlsMaterial material) {
        rtsps.useCertificate(material);
    }

    // --- life cycle ---------------------------------------------------------------------------------------------

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
        Endpoint stoppingTls;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            boolean wasRunning = running;
            running = false;
            problem = "stopped";
            stoppingTls = rtsps.closing();
            mounts.closeAll();
            accounts.close();
            if (!wasRunning) {
                control.shutdownNow();
                logins.close();
                return;
            }
            stopping = endpoint;
            players.stopped();
        }
        feeds.endAll();
        if (stoppingTls != null) {
            stoppingTls.shutDown();
        }
        stopping.shutDown();
        boolean loopStopped = loop.stop(STOP_TIMEOUT_MILLIS);
        control.shutdown(STOP_TIMEOUT_MILLIS);
        synchronized (lifecycle) {
            logins.close();
            if (loopStopped) {
                rtsps.releaseEndpoint();
                stopping.release();
                loop.release();
                if (auth != null) {
                    LibGObject.g_object_unref(auth);
                }
            }
            // the RTSPS auth and certificates, after the plain endpoint's auth
            rtsps.forget(loopStopped);
            auth = null;
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
    public boolean credentialsRequired() {
        return logins.enforced();
    }

    @Override
    public int tlsPort() {
        return rtsps.boundPort() != 0 ? rtsps.boundPort() : settings.tlsPort();
    }

    @Override
    public String tlsProblem() {
        return rtsps.problem();
    }

    @Override
    public int players() {
        return admission.players();
    }

    @Override
    public int maxPlayers() {
        return settings.maxPlayers();
    }

    @Override
    public List<RtspMount> mounts() {
        return mounts.status(players);
    }

    @Override
    public long mediaBytes(String name) {
        return mounts.mediaBytes(name);
    }

    @Override
    public List<RtspClient> clients() {
        return players.list();
    }

    @Override
    public boolean disconnect(String address) {
        return players.disconnect(address);
    }

    /** The media pipelines of a path (for tests and diagnostics). */
    List<MediaFeed> feeds(String path) {
        return feeds.feeds(path);
    }

    /** Media pipelines alive (for tests: zero once every client has gone). */
    public int liveMedias() {
        return feeds.live();
    }

    /** How many times the users were loaded into the server (for tests that wait for a change to arrive). */
    int loginLoads() {
        return logins.loads();
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
