package io.pistream.webrtc.producer.internal;

import java.time.Duration;
import java.util.List;

import io.pistream.api.MediaHub;
import io.pistream.api.MediaKind;
import io.pistream.api.SourceStatus;
import io.pistream.api.security.AccessControl;
import io.pistream.gstreamer.GStreamerRuntime;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.SignallingStatus;
import io.pistream.webrtc.WebRtcStatus;
import io.pistream.webrtc.internal.Checks;
import io.pistream.webrtc.internal.ProducerSettings;
import io.pistream.webrtc.internal.RequiredElements;
import io.pistream.webrtc.internal.SignallingAccess;
import io.pistream.webrtc.internal.WebRtcProducer;
import io.pistream.webrtc.internal.door.DoorRefusal;
import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.door.HttpSessions;
import io.pistream.webrtc.internal.door.IceServer;
import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebRTC producer of {@code etc/io.pistream.webrtc.cfg}. A refused configuration is logged with every bad
 * key and the producer stays off (its status says why); a changed configuration restarts it, the same one delivered
 * again does not, and it starts only with one (started without, it restarted a second later, when the file
 * installer read the file the feature wrote). It
 * signs in to the device's own signalling server with the device's token, to another server with
 * {@code signalling.token}.
 */
// id and name as before the split, so that existing configurations and tools still find them
// also the producer of the WHEP door, which brings offers over HTTP into the same sessions
@Component(name = "io.pistream.webrtc.internal.WebRtcProducerComponent",
        service = {WebRtcStatus.class, HttpSessions.class}, property = HttpSessions.ROLE + "=producer",
        configurationPid = ProducerConfigCheck.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = ProducerConfig.class)
public final class WebRtcProducerComponent implements WebRtcStatus, HttpSessions {

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcProducerComponent.class);

    /** ICE gathering on the device's own addresses takes milliseconds; STUN or TURN may take a few seconds. */
    private static final long GATHER_TIMEOUT_MILLIS = 3000;

    /** What runs for one configuration: a refused one has no producer, and says why. */
    private record Running(ProducerSettings settings, JdkWebSocketConnector connector, WebRtcProducer producer,
            String refusal) {

        void close() {
            if (producer != null) {
                producer.close();
            }
            if (connector != null) {
                connector.close();
            }
        }
    }

    private final MediaHub hub;
    private final GStreamerRuntime runtime;
    private final AccessControl accessControl;
    private volatile Running running;

    @Activate
    public WebRtcProducerComponent(@Reference MediaHub hub, @Reference GStreamerRuntime runtime,
            @Reference AccessControl accessControl, ProducerConfig config) {
        this.hub = hub;
        this.runtime = runtime;
        this.accessControl = accessControl;
        this.running = start(ProducerConfigCheck.settings(config));
    }

    /**
     * Configuration admin delivers the configuration again at every start, after the feature installed it: the
     * same settings keep the producer registered (viewers that connect meanwhile are served); others restart it.
     */
    @Modified
    synchronized void modified(ProducerConfig config) {
        ProducerSettings wanted = ProducerConfigCheck.settings(config);
        if (wanted.equals(running.settings())) {
            LOG.debug("WebRTC producer configuration delivered again, unchanged: the producer stays registered");
            return;
        }
        LOG.info("WebRTC producer configuration changed: restarting the producer (its sessions end)");
        running.close();
        running = start(wanted);
    }

    private Running start(ProducerSettings settings) {
        String problem = settings.problem();
        if (problem == null) {
            problem = RequiredElements.missing(runtime, "webrtcbin", "nicesrc", "rtpvp8pay", "rtph264pay",
                    "rtpopuspay", "appsrc");
        }
        JdkWebSocketConnector opened = null;
        WebRtcProducer started = null;
        if (problem == null) {
            try {
                String trust = Checks.trustProblem(settings.trustCa());
                if (trust != null && settings.signallingUrl().getScheme().equalsIgnoreCase("wss")) {
                    LOG.warn("{}: trust.ca {}; wss:// uses the JDK's trust store until it appears", ProducerConfigCheck.PID, trust);
                }
                opened = new JdkWebSocketConnector(settings.trustCa(), Duration.ofSeconds(10),
                        SignallingAccess.bearer(settings.signallingUrl(), accessControl, settings.signallingToken()));
                SignallingAccess.logChoice(ProducerConfigCheck.PID, settings.signallingUrl(),
                        settings.signallingToken());
                started = new WebRtcProducer(settings, hub, opened, Signaller.Timing.DEFAULT);
            } catch (Exception e) {
                problem = "cannot start: " + e.getMessage();
                if (opened != null) {
                    opened.close();
                    opened = null;
                }
            }
        }
        if (problem != null) {
            LOG.error("WebRTC producer refused. {}", problem);
        }
        return new Running(settings, opened, started, problem);
    }

    @Deactivate
    synchronized void deactivate() {
        running.close();
    }

    @Override
    public String role() {
        return "producer";
    }

    @Override
    public String name() {
        return running.settings().name();
    }

    @Override
    public SignallingStatus signalling() {
        Running now = running;
        if (now.producer() == null) {
            return new SignallingStatus(String.valueOf(now.settings().signallingUrl()), "REFUSED", null, 0,
                    now.refusal());
        }
        return now.producer().signalling();
    }

    @Override
    public List<SessionStatus> sessions() {
        WebRtcProducer producer = running.producer();
        return producer == null ? List.of() : producer.sessions();
    }

    /**
     * {@code source}: the producer's name or its video source (what it sends to signalling viewers), its audio
     * source (audio only), or any other video source of the hub (with the producer's codecs and audio).
     */
    @Override
    public DoorSession open(String source, String peer, String offer) {
        Running now = running;
        if (now.producer() == null) {
            throw new DoorRefusal(DoorRefusal.Kind.UNAVAILABLE, "the WebRTC producer is refused: " + now.refusal());
        }
        return now.producer().openDoorSession(peer, offer, plan(now.settings(), source), GATHER_TIMEOUT_MILLIS);
    }

    @Override
    public List<IceServer> iceServers() {
        return IceServer.of(running.settings().sessionSettings());
    }

    private ProducerSession.Plan plan(ProducerSettings settings, String source) {
        ProducerSession.Plan plan = settings.plan();
        if (source.equals(settings.name()) || (plan.hasVideo() && source.equals(plan.videoSource()))) {
            return plan;
        }
        if (plan.hasAudio() && source.equals(plan.audioSource())) {
            return plan.withSources("", plan.audioSource());
        }
        for (SourceStatus known : hub.sources()) {
            if (known.id().equals(source) && known.kind() == MediaKind.VIDEO) {
                return plan.withSources(source, plan.audioSource());
            }
        }
        throw new DoorRefusal(DoorRefusal.Kind.UNKNOWN_SOURCE, "no source '" + source + "' (the producer sends '"
                + settings.name() + "': video '" + plan.videoSource() + "', audio '" + plan.audioSource() + "')");
    }

    @Override
    public boolean endSession(String sessionId) {
        WebRtcProducer producer = running.producer();
        return producer != null && producer.endSession(sessionId);
    }
}
