package io.pistream.rtsp.internal;

import com.sun.jna.Pointer;

import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.pki.TlsMaterial;
import io.pistream.rtsp.internal.jna.RtspLib;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RTSPS, the server's second endpoint: started once the server runs and the device certificate is there, given each
 * renewed certificate, and tried again every {@link #RETRY_MILLIS} while its port is in use. Shares the server's
 * lifecycle lock: what it holds changes with the server's start and close, never in between.
 */
final class RtspsListener {

    private static final Logger LOG = LoggerFactory.getLogger(RtspsListener.class);
    /** How often RTSPS tries again to listen when its port is in use. */
    static final long RETRY_MILLIS = 10_000;

    private final ServerSettings settings;
    private final ControlThread control;
    private final DigestLogins logins;
    private final Players players;
    private final Object lifecycle;

    // guarded by lifecycle
    /** The plain endpoint and the loop while the server runs, else null. */
    private Endpoint primary;
    private MainLoop loop;
    /** The device certificate's files, from the pki bundle; null until it is there. */
    private TlsMaterial material;
    /** The {@code GstRTSPAuth} of this endpoint (our reference). */
    private Pointer auth;
    /** Our references to the {@code GTlsCertificate} in use and to the one it replaced, or null. */
    private Pointer certificate;
    private Pointer retiredCertificate;
    /** RTSPS could not listen (port in use): logged once, retried until it can. */
    private boolean failing;
    private boolean retryPending;

    private volatile Endpoint endpoint;
    private volatile int boundPort;
    private volatile String problem;

    /** @param lifecycle the server's lifecycle lock */
    RtspsListener(ServerSettings settings, ControlThread control, DigestLogins logins, Players players,
            Object lifecycle) {
        this.settings = settings;
        this.control = control;
        this.logins = logins;
        this.players = players;
        this.lifecycle = lifecycle;
        this.problem = settings.tlsPort() == 0 ? null : "not started";
    }

    /** The server listens on {@code primary}: RTSPS starts too, on the control thread. With the lifecycle lock. */
    void serving(Endpoint primaryEndpoint, MainLoop mainLoop) {
        primary = primaryEndpoint;
        loop = mainLoop;
        startSoon();
    }

    /**
     * The device certificate appeared or was re-issued ({@code null}: its service went away; RTSPS keeps the
     * certificate it has, whose files stay valid). Applied on the control thread.
     */
    void useCertificate(TlsMaterial newMaterial) {
        synchronized (lifecycle) {
            if (newMaterial == null) {
                return;
            }
            material = newMaterial;
        }
        startSoon();
    }

    private void startSoon() {
        if (settings.tlsPort() != 0) {
            control.execute(this::startOrUpdate);
        }
    }

    /** Starts RTSPS, or gives it the current certificate; on the control thread. */
    private void startOrUpdate() {
        synchronized (lifecycle) {
            if (primary == null) {
                return; // the server is not running
            }
            if (material == null) {
                problem = "waiting for the device certificate (feature pistream-pki)";
                LOG.info("RTSPS: {}", problem);
                return;
            }
            Pointer loaded;
            try {
                loaded = TlsCertificate.load(material);
            } catch (RtspServerException e) {
                problem = e.getMessage();
                LOG.error("RTSPS not started: {}", problem);
                return;
            }
            keepCertificate(loaded);
            if (endpoint != null) {
                // new connections get the new certificate; open ones keep the one they negotiated
                RtspLib.Server.gst_rtsp_auth_set_tls_certificate(auth, loaded);
                LOG.info("RTSPS: the device certificate was renewed; new connections use it");
                return;
            }
            if (auth == null) {
                auth = RtspLib.Server.gst_rtsp_auth_new();
                logins.attach(auth);
            }
            RtspLib.Server.gst_rtsp_auth_set_tls_certificate(auth, loaded);
            try {
                endpoint = Endpoint.listenTls(settings, primary, loop, auth, client -> players.connected(client, true));
            } catch (RtspServerException e) {
                if (!failing) {
                    LOG.error("RTSPS not started: {}; retrying every {} s", e.getMessage(), RETRY_MILLIS / 1000);
                }
                failing = true;
                problem = e.getMessage();
                if (!retryPending) {
                    retryPending = true;
                    control.schedule(this::retry, RETRY_MILLIS);
                }
                return;
            }
            boundPort = endpoint.boundPort();
            problem = null;
            failing = false;
            LOG.info("RTSPS server listening on {} port {} with the device certificate {}", settings.address(),
                    boundPort, material.certificatePemPath());
        }
    }

    /**
     * Keeps our reference to the certificate in use and to the one before. gst-rtsp-server reads the auth's
     * certificate for a new connection without holding its lock, so a certificate just replaced must not be freed
     * at once; it is released at the next renewal (or when the server closes). With the lifecycle lock.
     */
    private void keepCertificate(Pointer loaded) {
        if (retiredCertificate != null) {
            LibGObject.g_object_unref(retiredCertificate);
        }
        retiredCertificate = certificate;
        certificate = loaded;
    }

    private void retry() {
        synchronized (lifecycle) {
            retryPending = false;
        }
        startOrUpdate();
    }

    /**
     * The server closes: RTSPS does not start any more. With the lifecycle lock.
     *
     * @return the endpoint to shut down, or null
     */
    Endpoint closing() {
        problem = settings.tlsPort() == 0 ? null : "stopped";
        primary = null;
        loop = null;
        return endpoint;
    }

    /** Releases the endpoint once the main loop stopped. With the lifecycle lock. */
    void releaseEndpoint() {
        if (endpoint != null) {
            endpoint.release();
        }
    }

    /**
     * Drops the references to the auth and the certificates (released if the main loop stopped, else left, as the
     * server's own). With the lifecycle lock.
     */
    void forget(boolean release) {
        if (release) {
            for (Pointer releasing : new Pointer[] {auth, certificate, retiredCertificate}) {
                if (releasing != null) {
                    LibGObject.g_object_unref(releasing);
                }
            }
        }
        auth = null;
        certificate = null;
        retiredCertificate = null;
        endpoint = null;
    }

    int boundPort() {
        return boundPort;
    }

    String problem() {
        return problem;
    }
}
