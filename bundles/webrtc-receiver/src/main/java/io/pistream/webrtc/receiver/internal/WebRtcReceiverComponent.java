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
import org.osgi.service.component.annotations.Modified;
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

    /** What runs for one configuration: a refused one has no receiver, and says why. */
    private record Running(ReceiverSettings settings, JdkWebSocketConnector connector, WebRtcReceiverCore receiver,
            String refusal, PictureInPicture pictureInPicture) {

        void close() {
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
    }

    private final GStreamerRuntime runtime;
    private final AccessControl accessControl;
    private final MediaHub hub;
    private final BundleContext context;
    private volatile Running current;

    @Activate
    public WebRtcReceiverComponent(@Reference GStreamerRuntime runtime, @Reference AccessControl accessControl,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            MediaHub hub, ReceiverConfig config, BundleContext context) {
        this.runtime = runtime;
        this.accessControl = accessControl;
        this.hub = hub;
        this.context = context;
        this.current = start(ReceiverSettings.from(config));
    }

    /**
     * The same configuration delivered again (Configuration Admin does so at every start) keeps the receiver
     * registered; a changed one restarts it.
     */
    @Modified
    synchronized void modified(ReceiverConfig config) {
        ReceiverSettings wanted = ReceiverSettings.from(config);
        if (wanted.equals(current.settings())) {
            LOG.debug("WebRTC receiver configuration delivered again, unchanged: the receiver stays registered");
            return;
        }
        LOG.info("WebRTC receiver configuration changed: restarting the receiver (its sessions end)");
        current.close();
        current = start(wanted);
    }

    private Running start(ReceiverSettings settings) {
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
        return new Running(settings, opened, started, problem, pip);
    }

    @Deactivate
    synchronized void deactivate() {
        current.close();
    }

    private WebRtcReceiverCore running() {
        Running now = current;
        if (now.receiver() == null) {
            throw new IllegalStateException("The WebRTC receiver is not running: " + now.refusal());
        }
        return now.receiver();
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
        Running now = current;
        if (now.receiver() == null) {
            throw new DoorRefusal(DoorRefusal.Kind.UNAVAILABLE, "the WebRTC receiver is refused: " + now.refusal());
        }
        return now.receiver().openDoorSession(source, peer, offer, GATHER_TIMEOUT_MILLIS);
    }

    @Override
    public List<IceServer> iceServers() {
        return IceServer.of(current.settings().sessionSettings());
    }

    @Override
    public String role() {
        return "receiver";
    }

    @Override
    public String name() {
        return current.settings().name();
    }

    @Override
    public SignallingStatus signalling() {
        Running now = current;
        if (now.receiver() == null) {
            return new SignallingStatus(String.valueOf(now.settings().signallingUrl()), "REFUSED", null, 0,
                    now.refusal());
        }
        return now.receiver().signalling();
    }

    @Override
    public List<SessionStatus> sessions() {
        WebRtcReceiverCore receiver = current.receiver();
        return receiver == null ? List.of() : receiver.sessions();
    }
}
