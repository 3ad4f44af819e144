package io.pistream.webconsole.internal;

import java.io.PrintWriter;

import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The RTSP server: its mounts and the connected players. */
@Component(service = ConsoleSection.class, enabled = false)
public final class RtspSection implements ConsoleSection {

    private final RtspServerStatus server;

    @Activate
    public RtspSection(@Reference RtspServerStatus server) {
        this.server = server;
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public void write(PrintWriter out, ConsolePage page) {
        out.println("<h2>RTSP " + (server.running() ? "on port " + server.port()
                : "stopped: " + Html.escape(server.problem())) + "</h2>");
        out.println("<p>" + Html.escape(door()) + "</p>");
        out.println("<table class='tablesorter nicetable'><thead><tr><th>Mount</th><th>State</th><th>Sources</th>"
                + "<th>Players</th><th>Detail</th></tr></thead><tbody>");
        for (RtspMount mount : server.mounts()) {
            out.println("<tr><td>" + Html.escape(mount.url() != null ? mount.url() : mount.path()) + "</td><td>"
                    + Html.escape(mount.state()) + "</td><td>" + Html.escape(sources(mount))
                    + "</td><td>" + mount.clients() + "</td><td>" + Html.escape(mount.detail()) + "</td></tr>");
        }
        out.println("</tbody></table><table class='tablesorter nicetable'><thead><tr><th>Player</th>"
                + "<th>User</th><th>Mount</th><th>Transport</th><th>Since</th></tr></thead><tbody>");
        for (RtspClient client : server.clients()) {
            out.println("<tr><td>" + Html.escape(client.address()) + "</td><td>" + Html.escape(client.user())
                    + "</td><td>" + Html.escape(client.path()) + "</td><td>" + Html.escape(client.transport())
                    + (client.secure() ? " (TLS)" : "") + "</td><td>" + client.connectedAt() + "</td></tr>");
        }
        out.println("</tbody></table>");
    }

    /** Who may come in and how: logins, RTSPS, players against the cap. */
    private String door() {
        String logins = server.credentialsRequired() ? "Players log in (Digest, realm pistream)"
                : "Authentication is OFF: anyone who reaches the port can watch";
        String tls = server.tlsPort() == 0 ? "RTSPS off"
                : server.tlsProblem() == null ? "RTSPS on port " + server.tlsPort()
                : "RTSPS not running: " + server.tlsProblem();
        String players = "players: " + server.players()
                + (server.maxPlayers() > 0 ? " of at most " + server.maxPlayers() : "");
        return logins + "; " + tls + "; " + players;
    }

    /** What feeds a mount: its sources, {@code launch}, or nothing for a refused configuration. */
    private static String sources(RtspMount mount) {
        if (mount.kind() == null) {
            return "";
        }
        return mount.kind().equals("hub") ? mount.video() + (mount.audio() == null ? "" : " + " + mount.audio())
                : "launch";
    }
}
