package io.pistream.whep.internal;

import javax.servlet.Servlet;

import io.pistream.webauth.WebDoor;
import io.pistream.webrtc.internal.door.HttpSessions;

import org.osgi.service.component.annotations.Activate;
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

    @Activate
    public WhepServlet(@Reference WebDoor webDoor) {
        super(Door.WHEP, webDoor, 15_000);
    }

    /** Dynamic: the producer comes and goes with its configuration, the servlet stays. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + HttpSessions.ROLE + "=producer)")
    void bindProducer(HttpSessions sessions) {
        attach(sessions);
    }

    void unbindProducer(HttpSessions sessions) {
        detach(sessions);
    }

    @Deactivate
    void deactivate() {
        endAll();
    }
}
