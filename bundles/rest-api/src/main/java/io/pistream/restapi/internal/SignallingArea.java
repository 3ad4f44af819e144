package io.pistream.restapi.internal;

import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;

import io.pistream.api.security.Role;
import io.pistream.signalling.PeerInfo;
import io.pistream.signalling.SessionInfo;
import io.pistream.signalling.SignallingServer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /signalling}: the peers connected to the device's signalling server and the sessions between them. */
@Component(service = Area.class, property = "area=signalling")
@Produces(MediaType.APPLICATION_JSON)
public final class SignallingArea implements Area {

    private final SignallingServer server;

    @Activate
    public SignallingArea(@Reference SignallingServer server) {
        this.server = server;
    }

    @Override
    public Object resource() {
        return this;
    }

    @GET
    @Path("peers")
    public List<PeerInfo> peers(@Context HttpServletRequest request) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        return server.peers();
    }

    @GET
    @Path("sessions")
    public List<SessionInfo> sessions(@Context HttpServletRequest request) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        return server.sessions();
    }
}
