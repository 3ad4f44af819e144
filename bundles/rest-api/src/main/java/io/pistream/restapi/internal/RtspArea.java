package io.pistream.restapi.internal;

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
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code /rtsp}: the RTSP server, its mounts and the players connected now; an administrator ends a player. */
@Component(service = Area.class, property = "area=rtsp")
@Produces(MediaType.APPLICATION_JSON)
public final class RtspArea implements Area {

    private final RtspServerStatus server;

    @Activate
    public RtspArea(@Reference RtspServerStatus server) {
        this.server = server;
    }

    @Override
    public Object resource() {
        return this;
    }

    public record Server(boolean running, String problem, int port, int tlsPort, String tlsProblem,
            boolean credentialsRequired, int players, int maxPlayers) {
    }

    public record Player(String address, String path, String transport, String connectedAt, String user,
            boolean secure) {
    }

    @GET
    public Server server(@Context HttpServletRequest request) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        return new Server(server.running(), server.problem(), server.port(), server.tlsPort(), server.tlsProblem(),
                server.credentialsRequired(), server.players(), server.maxPlayers());
    }

    @GET
    @Path("mounts")
    public List<RtspMount> mounts(@Context HttpServletRequest request) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        return server.mounts();
    }

    @GET
    @Path("players")
    public List<Player> players(@Context HttpServletRequest request) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        return server.clients().stream().map(client -> new Player(client.address(), client.path(),
                client.transport(), client.connectedAt() == null ? null : client.connectedAt().toString(),
                client.user(), client.secure())).toList();
    }

    /** A player is named by its address and port, as the list shows it. */
    @DELETE
    @Path("players/{address}")
    public Response disconnect(@Context HttpServletRequest request, @PathParam("address") String address) {
        Access.require(request, Role.ADMIN);
        if (address.length() > 64 || !server.disconnect(address)) {
            throw ApiError.notFound("No RTSP player at '" + SnapshotAnswer.printable(address) + "'");
        }
        return Response.noContent().build();
    }
}
