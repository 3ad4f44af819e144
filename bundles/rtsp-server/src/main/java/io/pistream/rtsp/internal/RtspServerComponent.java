package io.pistream.rtsp.internal;

import java.util.List;

import io.pistream.api.MediaHub;
import io.pistream.api.security.AccessControl;
import io.pistream.gstreamer.GStreamerRuntime;
import io.pistream.pki.TlsMaterial;
import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTSP server, PID {@code io.pistream.rtsp}. A configuration change restarts it (and with it the mounts). The
 * media hub tells it which sources it can serve, so hub mounts are served exactly while what they need exists.
 * {@link AccessControl} tells it who may log in; the device certificate ({@link TlsMaterial}, from the pki bundle)
 * enables RTSPS whenever it is there, and a renewed one is used for new connections without a restart.
 * When it cannot listen (port in use) it tells why in its status and the log and tries again every 10 s; a bad
 * configuration is refused until it is fixed.
 */
@Component(service = {RtspServerStatus.class, MountRegistry.class}, configurationPid = "io.pistream.rtsp",
        immediate = true)
@Designate(ocd = ServerConfig.class)
public final class RtspServerComponent implements RtspServerStatus, MountRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServerComponent.class);
    /** How often a server that cannot listen (port in use) tries again. */
    private static final long RETRY_MILLIS = 10_000;

    private final RtspServer server;

    @Activate
    public RtspServerComponent(@Reference GStreamerRuntime runtime, @Reference MediaHub hub,
            @Reference AccessControl access, ServerConfig config) {
        ServerSettings settings = null;
        String refused = null;
        try {
            settings = ServerSettings.from(config);
        } catch (IllegalArgumentException e) {
            refused = e.getMessage();
            LOG.error("{}; the RTSP server does not start until the configuration is fixed", refused);
        }
        this.server = new RtspServer(settings != null ? settings : ServerSettings.DEFAULTS, hub, access);
        if (refused != null) {
            server.refuse(refused);
            return;
        }
        server.startOrRetry(RETRY_MILLIS);
    }

    @Deactivate
    void deactivate() {
        server.close();
    }

    @Reference(name = "certificate", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, updated = "certificateRenewed",
            unbind = "certificateGone")
    void certificateAppeared(TlsMaterial material) {
        server.useCertificate(material);
    }

    /** The pki bundle re-issued the certificate (same files, new fingerprint property). */
    void certificateRenewed(TlsMaterial material) {
        server.useCertificate(material);
    }

    void certificateGone(TlsMaterial material) {
        server.useCertificate(null);
    }

    @Override
    public RtspServer.Registration addMount(MountSpec spec) {
        return server.addMount(spec);
    }

    @Override
    public RtspServer.Registration addRefused(String name, String path, String reason) {
        return server.addRefused(name, path, reason);
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
