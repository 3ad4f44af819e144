package io.pistream.webrtc.receiver.internal;

import java.time.Duration;
import java.util.List;

import io.pistream.api.MediaHub;
import io.pistream.api.MediaSource;
import io.pistream.api.security.AccessControl;
import io.pistream.gstreamer.GStreamerRuntime;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.SignallingStatus;
import io.pistream.webrtc.WebRtcReceiver;
import io.pistream.webrtc.WebRtcStatus;
import io.pistream.webrtc.internal.Checks;
import io.pistream.webrtc.internal.RequiredElements;
import io.pistream.webrtc.internal.SignallingAccess;
import io.pistream.webrtc.internal.door.DoorRefusal;
import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.door.HttpSessions;
import io.pistream.webrtc.internal.door.IceServer;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebRTC receiver of {@code etc/io.pistream.webrtc.receiver.cfg}; it only runs when that configuration
 * exists. A refused configuration is logged with every bad key and the receiver stays off. It signs in to the device's
 * own signalling server with the device's token, to another server with {@code signalling.token}.
 */
// id and name as before the split, so that existing configurations and tools still find them
@Component(name = "io.pistream.webrtc.internal.WebRtcReceiverComponent",
        service = {WebRtcReceiver.class, WebRtcStatus.class, HttpSessions.class},
        property = HttpSessions.ROLE + "=receiver", configurationPid = ReceiverSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = ReceiverConfig.class)
public final class WebRtcReceiverComponent implements WebRtcReceiver, HttpSessions {

    private static final long GATHER_TIMEOUT_MILLIS = 3000;

    private static final Logger LOG = LoggerFactory.getLogger(WebRtcReceiverComponent.class);

    private final ReceiverSettings settings;
    private final JdkWebSocketConnector connector;
    private final WebRtcReceiverCore receiver;
    private final String refusal;
    private final PictureInPicture pictureInPicture;

    @Activate
    public WebRtcReceiverComponent(@Reference GStreamerRuntime runtime, @Reference AccessControl accessControl,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            MediaHub hub, ReceiverConfig config, BundleContext context) {
        this.settings = ReceiverSettings.from(config);
        String problem = settings.problem();
        if (problem == null) {
            problem = RequiredElements.missing(runtime, "webrtcbin", "nicesrc", "rtpopusdepay", "opusdec",
                    settings.output().audioSink());
        }
        if (problem == null && settings.output().video() == ReceiverSession.VideoMode.RECORD) {
            problem = RequiredElements.missing(runtime, "splitmuxsink", "opusparse", "h264parse",
                    settings.output().recordFormat().equals("mp4") ? "mp4mux" : "matroskamux");
        }
        boolean composite = settings.output().video() == ReceiverSession.VideoMode.COMPOSITE;
        if (problem == null && composite) {
            problem = hub == null ? "mode=composite needs the media hub (feature pistream-core) and the "
                    + "composite.source camera" : RequiredElements.missing(runtime, "compositor", "vp8dec",
                            "avdec_h264", "appsink", "videoscale");
        }
        JdkWebSocketConnector opened = null;
        WebRtcReceiverCore started = null;
        PictureInPicture pip = null;
        if (problem == null) {
            try {
                String trust = Checks.trustProblem(settings.trustCa());
                if (trust != null && settings.signallingUrl().getScheme().equalsIgnoreCase("wss")) {
                    LOG.warn("{}: trust.ca {}; wss:// uses the JDK's trust store until it appears", ReceiverSettings.PID, trust);
                }
                opened = new JdkWebSocketConnector(settings.trustCa(), Duration.ofSeconds(10),
                        SignallingAccess.bearer(settings.signallingUrl(), accessControl, settings.signallingToken()));
                SignallingAccess.logChoice(ReceiverSettings.PID, settings.signallingUrl(), settings.signallingToken());
                if (composite) {
                    ServiceRegistration<?>[] registration = new ServiceRegistration<?>[1];
                    pip = new PictureInPicture(settings.name(), settings.compositeSource(), hub,
                            source -> registration[0] = context.registerService(MediaSource.class, source, null),
                            () -> registration[0].unregister(), settings.signallingUrl(), opened,
                            settings.sessionSettings(), Signaller.Timing.DEFAULT);
                }
                started = new WebRtcReceiverCore(settings, opened, Signaller.Timing.DEFAULT,
                        pip == null ? null : pip.source());
            } catch (Exception e) {
                problem = "cannot start: " + e.getMessage();
                if (pip != null) {
                    pip.close();
                    pip = null;
                }
                if (opened != null) {
                    opened.close();
                    opened = null;
                }
            }
        }
        if (problem != null) {
            LOG.error("WebRTC receiver refused. {}", problem);
        }
        this.refusal = problem;
        this.connector = opened;
        this.receiver = started;
        this.pictureInPicture = pip;
    }

    @Deactivate
    void deactivate() {
        if (receiver != null) {
            receiver.close();
        }
        if (pictureInPicture != null) {
            pictureInPicture.close();
        }
        if (connector != null) {
            connector.close();
        }
    }

    private WebRtcReceiverCore running() {
        if (receiver == null) {
            throw new IllegalStateException("The WebRTC receiver is not running: " + refusal);
        }
        return receiver;
    }

    @Override
    public List<RemoteProducer> producers() {
        return running().producers();
    }

    @Override
    public String receive(String producerId) {
        return running().receive(producerId);
    }

    @Override
    public boolean stop(String sessionId) {
        return running().stop(sessionId);
    }

    /** A WHIP producer: {@code source} is the name it published under, shown in status and recording names. */
    @Override
    public DoorSession open(String source, String peer, String offer) {
        if (receiver == null) {
            throw new DoorRefusal(DoorRefusal.Kind.UNAVAILABLE, "the WebRTC receiver is refused: " + refusal);
        }
        return receiver.openDoorSession(source, peer, offer, GATHER_TIMEOUT_MILLIS);
    }

    @Override
    public List<IceServer> iceServers() {
        return IceServer.of(settings.sessionSettings());
    }

    @Override
    public String role() {
        return "receiver";
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public SignallingStatus signalling() {
        if (receiver == null) {
            return new SignallingStatus(String.valueOf(settings.signallingUrl()), "REFUSED", null, 0, refusal);
        }
        return receiver.signalling();
    }

    @Override
    public List<SessionStatus> sessions() {
        return receiver == null ? List.of() : receiver.sessions();
    }
}
