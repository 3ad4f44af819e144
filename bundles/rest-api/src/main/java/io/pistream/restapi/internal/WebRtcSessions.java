package io.pistream.restapi.internal;

import java.util.ArrayList;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import io.pistream.api.security.Role;
import io.pistream.webrtc.WebRtcStatus;

/** The sessions of the device's WebRTC peers of one role: list them, end one (admin). */
@Produces(MediaType.APPLICATION_JSON)
public final class WebRtcSessions {

    private final java.util.function.Supplier<List<? extends WebRtcStatus>> peers;

    WebRtcSessions(java.util.function.Supplier<List<? extends WebRtcStatus>> peers) {
        this.peers = peers;
    }

    @GET
    @Path("sessions")
    public List<Views.Session> sessions(@Context HttpServletRequest request) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        List<Views.Session> all = new ArrayList<>();
        peers.get().forEach(peer -> peer.sessions().forEach(session -> all.add(Views.Session.of(session))));
        return all;
    }

    @DELETE
    @Path("sessions/{id}")
    public Response end(@Context HttpServletRequest request, @PathParam("id") String id) {
        Access.require(request, Role.ADMIN);
        if (id.length() <= 128) {
            for (WebRtcStatus peer : peers.get()) {
                if (peer.endSession(id)) {
                    return Response.noContent().build();
                }
            }
        }
        throw ApiError.notFound("No running session '" + SnapshotAnswer.printable(id) + "'");
    }
}
