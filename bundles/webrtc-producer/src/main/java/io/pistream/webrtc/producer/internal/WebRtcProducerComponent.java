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
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebRTC producer of {@code etc/io.pistream.webrtc.cfg}. A refused configuration is logged with every bad
 * key and the producer stays off (its status says why); a new configuration restarts it, so it starts only with
 * one (started without, it restarted a second later, when the file installer read the file the feature wrote). It
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

    private final ProducerSettings settings;
    private final MediaHub hub;
    private final JdkWebSocketConnector connector;
    private final WebRtcProducer producer;
    private final String refusal;

    @Activate
    public WebRtcProducerComponent(@Reference MediaHub hub, @Reference GStreamerRuntime runtime,
            @Reference AccessControl accessControl, ProducerConfig config) {
        this.settings = ProducerConfigCheck.settings(config);
        this.hub = hub;
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
        this.refusal = problem;
        this.connector = opened;
        this.producer = started;
    }

    @Deactivate
    void deactivate() {
        if (producer != null) {
            producer.close();
        }
        if (connector != null) {
            connector.close();
        }
    }

    @Override
    public String role() {
        return "producer";
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public SignallingStatus signalling() {
        if (producer == null) {
            return new SignallingStatus(String.valueOf(settings.signallingUrl()), "REFUSED", null, 0, refusal);
        }
        return producer.signalling();
    }

    @Override
    public List<SessionStatus> sessions() {
        return producer == null ? List.of() : producer.sessions();
    }

    /**
     * {@code source}: the producer's name or its video source (what it sends to signalling viewers), its audio
     * source (audio only), or any other video source of the hub (with the producer's codecs and audio).
     */
    @Override
    public DoorSession open(String source, String peer, String offer) {
        if (producer == null) {
            throw new DoorRefusal(DoorRefusal.Kind.UNAVAILABLE, "the WebRTC producer is refused: " + refusal);
        }
        return producer.openDoorSession(peer, offer, plan(source), GATHER_TIMEOUT_MILLIS);
    }

    @Override
    public List<IceServer> iceServers() {
        return IceServer.of(settings.sessionSettings());
    }

    private ProducerSession.Plan plan(String source) {
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
        return producer != null && producer.endSession(sessionId);
    }
}
