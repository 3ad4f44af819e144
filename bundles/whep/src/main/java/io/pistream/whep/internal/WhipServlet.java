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
 * WHIP: {@code POST https://host:8443/whip/NAME} with an SDP offer sends audio and video to the device, which the
 * WebRTC receiver takes like any talk-back producer (speaker; video discarded, recorded or composited by its
 * configuration). Needs the role talk.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/whip/*",
    "osgi.http.whiteboard.servlet.name=pistream-whip",
    "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=default)"})
public final class WhipServlet extends SessionResources {

    private static final long serialVersionUID = 1L;

    @Activate
    public WhipServlet(@Reference WebDoor webDoor) {
        super(Door.WHIP, webDoor, 15_000);
    }

    /** Dynamic: the receiver comes and goes with its configuration, the servlet stays. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            target = "(" + HttpSessions.ROLE + "=receiver)")
    void bindReceiver(HttpSessions sessions) {
        attach(sessions);
    }

    void unbindReceiver(HttpSessions sessions) {
        detach(sessions);
    }

    @Deactivate
    void deactivate() {
        endAll();
    }
}
