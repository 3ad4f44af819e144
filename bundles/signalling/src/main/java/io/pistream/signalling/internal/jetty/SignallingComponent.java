package io.pistream.signalling.internal.jetty;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.Filter;
import javax.servlet.Servlet;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pistream.api.security.AccessControl;
import io.pistream.signalling.PeerInfo;
import io.pistream.signalling.SessionInfo;
import io.pistream.signalling.SignallingServer;
import io.pistream.signalling.internal.router.Refusals;
import io.pistream.webauth.WebDoor;

/**
 * The signalling server in OSGi: reads its configuration (PID {@code io.pistream.signalling}), registers
 * the WebSocket servlet and the root filter on the HTTP whiteboard from this bundle (so Pax Web loads
 * Jetty's WebSocket factory through this bundle), and offers {@link SignallingServer} for tools.
 *
 * <p>It needs {@link AccessControl}: the HTTP door authenticates the handshake and leaves the caller in the
 * request, and this component asks whether authentication is on and what the device's own token is. Without
 * AccessControl there is no signalling at all, rather than signalling open to anyone.
 *
 * <p>A configuration change restarts the server: every client is disconnected and reconnects. The same configuration
 * delivered again (Configuration Admin does so at every start, after the feature installed it) changes nothing. It
 * starts only with its configuration: started without one, it restarted a second later, when the file installer
 * read the etc/io.pistream.signalling.cfg the feature had just written.
 */
@Component(service = SignallingServer.class, immediate = true, configurationPid = SignallingComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SignallingConfig.class)
public final class SignallingComponent implements SignallingServer {

    public static final String PID = "io.pistream.signalling";

    static final String SERVLET_NAME = "pistream-signalling";
    static final String FILTER_NAME = "pistream-signalling-root";
    /**
     * Before other filters of the context on the root path, but after the HTTP door (web-auth ranks far higher):
     * whiteboard filters run highest ranking first, and the door must have authenticated the upgrade (and checked
     * its Origin) before this filter takes it; without the caller it leaves, the upgrade is refused.
     */
    static final int FILTER_RANKING = 1000;
    /** Heap the rest of the platform needs besides the clients' queues: its live heap is about 40 MiB. */
    private static final long PLATFORM_HEAP_BYTES = 64L << 20;
    /** Keys of earlier versions, now without effect: the HTTP door authenticates, queues are bounded in bytes. */
    private static final List<String> RETIRED_KEYS = List.of("token", "send.queue.size");

    private static final Logger LOG = LoggerFactory.getLogger(SignallingComponent.class);

    private final BundleContext context;
    private final AccessControl accessControl;
    private final WebDoor webDoor;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private SignallingSettings settings;
    private volatile SignallingEndpoint endpoint;

    @Activate
    public SignallingComponent(BundleContext context, SignallingConfig config, Map<String, Object> properties,
            @Reference AccessControl accessControl, @Reference WebDoor webDoor) {
        for (String key : RETIRED_KEYS) {
            Object value = properties.get(key);
            if (value != null && !String.valueOf(value).isBlank()) {
                LOG.warn("{}: '{}' is no longer used ({}); remove it", PID, key, key.equals("token")
                        ? "the HTTP door authenticates every handshake with the users and tokens of the device"
                        : "the send queue is bounded in bytes: send.queue.bytes");
            }
        }
        this.context = context;
        this.accessControl = accessControl;
        this.webDoor = webDoor;
        start(SignallingSettings.from(config));
    }

    @Modified
    synchronized void modified(SignallingConfig config) {
        SignallingSettings wanted = SignallingSettings.from(config);
        if (wanted.equals(settings)) {
            LOG.debug("Signalling configuration delivered again, unchanged: the server and its clients stay");
            return;
        }
        LOG.info("Signalling configuration changed: restarting the server (its clients reconnect)");
        stop();
        start(wanted);
    }

    private void start(SignallingSettings settings) {
        this.settings = settings;
        long heap = Runtime.getRuntime().maxMemory();
        if (settings.limits().worstCaseClientBytes() > heap - PLATFORM_HEAP_BYTES) {
            LOG.warn("{}: max.peers x (send.queue.bytes + max.message.size) = {} MiB, too much of the {} MiB heap:"
                    + " clients could exhaust it", PID, settings.limits().worstCaseClientBytes() >> 20, heap >> 20);
        }
        this.endpoint = new SignallingEndpoint(settings, accessControl, webDoor);
        try {
            if (!settings.servletPatterns().isEmpty()) {
                registrations.add(context.registerService(Servlet.class, endpoint.newServlet(),
                        servletProperties(settings)));
            }
            if (settings.rootEnabled()) {
                registrations.add(context.registerService(Filter.class, endpoint.newRootFilter(),
                        filterProperties(settings)));
            }
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("Signalling server started: {}{}", settings,
                accessControl.enforced() ? "" : "; authentication is OFF (auth = off): anyone reaching the port may"
                        + " watch and talk");
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private void stop() {
        for (ServiceRegistration<?> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        registrations.clear();
        endpoint.close();
        LOG.info("Signalling server stopped");
    }

    @Override
    public List<PeerInfo> peers() {
        return endpoint.router().peers();
    }

    @Override
    public List<SessionInfo> sessions() {
        return endpoint.router().sessions();
    }

    @Override
    public Map<String, Long> refusals() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Refusals.Reason reason : Refusals.Reason.values()) {
            counts.put(reason.name(), endpoint.refusals().get(reason));
        }
        return counts;
    }

    static Dictionary<String, Object> servletProperties(SignallingSettings settings) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.servlet.pattern", settings.servletPatterns().toArray(new String[0]));
        props.put("osgi.http.whiteboard.servlet.name", SERVLET_NAME);
        props.put("osgi.http.whiteboard.context.select", settings.contextSelect());
        return props;
    }

    static Dictionary<String, Object> filterProperties(SignallingSettings settings) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.http.whiteboard.filter.pattern", new String[] { "/*" });
        props.put("osgi.http.whiteboard.filter.name", FILTER_NAME);
        props.put("osgi.http.whiteboard.context.select", settings.contextSelect());
        props.put(Constants.SERVICE_RANKING, FILTER_RANKING);
        return props;
    }
}
