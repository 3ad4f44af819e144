package io.pistream.rtsp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.pistream.api.MediaHub;
import io.pistream.api.security.AccessControl;
import io.pistream.gstreamer.GStreamerRuntime;
import io.pistream.pki.TlsMaterial;
import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP server, PID {@code io.pistream.rtsp}. It starts only with its configuration: without one it listened on
 * the built-in defaults until the file installer read the etc/io.pistream.rtsp.cfg the feature had just written, a
 * second later, and then restarted (players in between were refused or got 404). A configuration change restarts
 * the server, and the mounts move to the new one; the same configuration delivered again changes nothing. The
 * media hub tells it which sources it can serve, so hub mounts are served exactly while what they need exists.
 * {@link AccessControl} tells it who may log in; the device certificate ({@link TlsMaterial}, from the pki bundle)
 * enables RTSPS whenever it is there, and a renewed one is used for new connections without a restart.
 * When it cannot listen (port in use) it tells why in its status and the log and tries again every 10 s; a bad
 * configuration is refused until it is fixed.
 */
@Component(service = {RtspServerStatus.class, MountRegistry.class}, configurationPid = "io.pistream.rtsp",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = ServerConfig.class)
public final class RtspServerComponent implements RtspServerStatus, MountRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServerComponent.class);
    /** How often a server that cannot listen (port in use) tries again. */
    private static final long RETRY_MILLIS = 10_000;

    private final MediaHub hub;
    private final AccessControl access;
    private volatile RtspServer server;
    // guarded by this
    private Configured configured;
    private TlsMaterial certificate;
    private final List<CarriedRegistration> registrations = new ArrayList<>();

    /** A validated configuration, or why it was refused. */
    private record Configured(ServerSettings settings, String refused) {
        static Configured from(ServerConfig config) {
            try {
                return new Configured(ServerSettings.from(config), null);
            } catch (IllegalArgumentException e) {
                return new Configured(null, e.getMessage());
            }
        }
    }

    @Activate
    public RtspServerComponent(@Reference GStreamerRuntime runtime, @Reference MediaHub hub,
            @Reference AccessControl access, ServerConfig config) {
        this.hub = hub;
        this.access = access;
        this.configured = Configured.from(config);
        this.server = start(configured);
    }

    private RtspServer start(Configured wanted) {
        RtspServer started = new RtspServer(wanted.settings() != null ? wanted.settings() : ServerSettings.DEFAULTS,
                hub, access);
        if (wanted.refused() != null) {
            LOG.error("{}; the RTSP server does not start until the configuration is fixed", wanted.refused());
            started.refuse(wanted.refused());
        } else {
            started.startOrRetry(RETRY_MILLIS);
        }
        return started;
    }

    @Modified
    synchronized void modified(ServerConfig config) {
        Configured wanted = Configured.from(config);
        if (wanted.equals(configured)) {
            LOG.debug("RTSP server configuration delivered again, unchanged: the server stays up");
            return;
        }
        LOG.info("RTSP server configuration changed: restarting the server, its mounts move to the new one");
        server.close();
        configured = wanted;
        RtspServer restarted = start(wanted);
        if (certificate != null) {
            restarted.useCertificate(certificate);
        }
        for (CarriedRegistration registration : registrations) {
            registration.moveTo(restarted);
        }
        server = restarted;
    }

    @Deactivate
    synchronized void deactivate() {
        server.close();
    }

    @Reference(name = "certificate", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "certificateRenewed",
            unbind = "certificateGone")
    synchronized void certificateAppeared(TlsMaterial material) {
        certificate = material;
        server.useCertificate(material);
    }

    /** The pki bundle re-issued the certificate (same files, new fingerprint property). */
    synchronized void certificateRenewed(TlsMaterial material) {
        certificate = material;
        server.useCertificate(material);
    }

    synchronized void certificateGone(TlsMaterial material) {
        certificate = null;
        server.useCertificate(null);
    }

    @Override
    public synchronized RtspServer.Registration addMount(MountSpec spec) {
        return carry(target -> target.addMount(spec));
    }

    @Override
    public synchronized RtspServer.Registration addRefused(String name, String path, String reason) {
        return carry(target -> target.addRefused(name, path, reason));
    }

    private CarriedRegistration carry(Function<RtspServer, RtspServer.Registration> add) {
        CarriedRegistration registration = new CarriedRegistration(add);
        registration.moveTo(server);
        registrations.add(registration);
        return registration;
    }

    /** A mount's registration that outlives a restart of the server for a new configuration: it moves along. */
    private final class CarriedRegistration implements RtspServer.Registration {
        private final Function<RtspServer, RtspServer.Registration> add;
        private RtspServer.Registration current;

        CarriedRegistration(Function<RtspServer, RtspServer.Registration> add) {
            this.add = add;
        }

        /** Under the component's lock; the old server's registration went with that server. */
        void moveTo(RtspServer target) {
            current = add.apply(target);
        }

        @Override
        public void close() {
            synchronized (RtspServerComponent.this) {
                if (registrations.remove(this)) {
                    current.close();
                }
            }
        }
    }

    @Override
    public boolean running() {
        return server.running();
    }

    @Override
    public String problem() {
        return server.problem();
    }

    @Override
    public String address() {
        return server.address();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public boolean credentialsRequired() {
        return server.credentialsRequired();
    }

    @Override
    public int tlsPort() {
        return server.tlsPort();
    }

    @Override
    public String tlsProblem() {
        return server.tlsProblem();
    }

    @Override
    public int players() {
        return server.players();
    }

    @Override
    public int maxPlayers() {
        return server.maxPlayers();
    }

    @Override
    public List<RtspMount> mounts() {
        return server.mounts();
    }

    @Override
    public long mediaBytes(String name) {
        return server.mediaBytes(name);
    }

    @Override
    public List<RtspClient> clients() {
        return server.clients();
    }

    @Override
    public boolean disconnect(String address) {
        return server.disconnect(address);
    }
}
