package io.pistream.whep.internal;

import javax.servlet.Servlet;

import io.pistream.api.security.Role;
import io.pistream.webrtc.internal.door.HttpSessions;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * WHEP: {@code POST https://host:8443/whep/camera} with an SDP offer plays the camera (and the producer's audio)
 * through the device's WebRTC producer, one encoder per codec shared with every other viewer. Needs the role viewer.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/whep/*",
    "osgi.http.whiteboard.servlet.name=pistream-whep",
    // the default context: the HTTP door's filter covers it
    "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=default)"})
public final class WhepServlet extends SessionResources {

    private static final long serialVersionUID = 1L;

    /**
     * Dynamic, so that a producer reconfigured or restarted does not take the servlet (and with it every servlet
     * of the context, which Pax Web restarts) away: meanwhile the door answers 503.
     */
    private volatile transient HttpSessions producer;

    public WhepServlet() {
        super("whep", Role.VIEWER, 15_000);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + HttpSessions.ROLE + "=producer)")
    void bindProducer(HttpSessions sessions) {
        this.producer = sessions;
    }

    void unbindProducer(HttpSessions sessions) {
        if (this.producer == sessions) {
            this.producer = null;
        }
    }

    @Deactivate
    void deactivate() {
        endAll("the WHEP door stopped");
    }

    @Override
    protected HttpSessions sessions() {
        return producer;
    }

    @Override
    protected Object checkOffer(String sdp) {
        return OfferCheck.forPlayback(sdp);
    }

    @Override
    protected String missing() {
        return "no WebRTC producer runs on this device (feature webrtc-producer)";
    }
}
