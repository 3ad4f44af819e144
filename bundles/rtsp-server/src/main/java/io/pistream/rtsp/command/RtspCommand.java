package io.pistream.rtsp.command;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code pistream:rtsp}: the RTSP mounts with their URLs and state, and the connected clients. */
@Command(scope = "pistream", name = "rtsp", description = "Lists the RTSP mounts and the connected clients")
@Service
public class RtspCommand implements Action {

    @Reference
    RtspServerStatus status;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        if (status.running()) {
            out.println("RTSP server listening on " + status.address() + " port " + status.port());
        } else {
            out.println("RTSP server not running: " + status.problem());
        }
        if (status.tlsPort() == 0) {
            out.println("RTSPS off (tls.port = 0)");
        } else if (status.tlsProblem() == null) {
            out.println("RTSPS listening on port " + status.tlsPort() + " with the device certificate");
        } else {
            out.println("RTSPS (port " + status.tlsPort() + ") not running: " + status.tlsProblem());
        }
        out.println(status.credentialsRequired()
                ? "Players log in with Digest (realm pistream): viewer role for hub mounts, admin for launch mounts"
                : "Authentication is OFF: anyone who reaches the port can watch every mount");
        out.println("Players: " + status.players() + (status.maxPlayers() > 0 ? " of at most " + status.maxPlayers()
                + " (more are answered 503)" : ""));
        out.println();
        List<RtspMount> mounts = status.mounts();
        if (mounts.isEmpty()) {
            out.println("No mount configured (etc/io.pistream.rtsp.mount-<name>.cfg)");
        } else {
            ShellTable table = new ShellTable();
            table.column("Mount");
            table.column("Path");
            table.column("State");
            table.column("URL");
            table.column("Serves");
            table.column("Pipelines").alignRight();
            table.column("Clients").alignRight();
            table.column("Detail").maxSize(70);
            for (RtspMount mount : mounts) {
                String serves = "launch".equals(mount.kind()) ? "launch line"
                        : mount.video() == null ? "" : mount.video() + (mount.audio() == null ? "" : " + " + mount.audio());
                table.addRow().addContent(mount.name(), orDash(mount.path()), mount.state(), orDash(mount.url()),
                        serves, mount.medias(), mount.clients(), orDash(mount.detail()));
            }
            table.print(out);
        }
        out.println();
        List<RtspClient> clients = status.clients();
        if (clients.isEmpty()) {
            out.println("No client connected");
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Client");
        table.column("User");
        table.column("Path");
        table.column("Transport");
        table.column("Connected for").alignRight();
        Instant now = Instant.now();
        for (RtspClient client : clients) {
            String transport = client.transport() == null ? (client.secure() ? "TLS" : "-")
                    : client.transport() + (client.secure() ? " (TLS)" : "");
            table.addRow().addContent(client.address(), orDash(client.user()), orDash(client.path()), transport,
                    duration(Duration.between(client.connectedAt(), now)));
        }
        table.print(out);
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }

    private static String duration(Duration duration) {
        long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min " + seconds % 60 + " s";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
