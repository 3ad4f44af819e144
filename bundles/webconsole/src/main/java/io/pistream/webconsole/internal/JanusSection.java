package io.pistream.webconsole.internal;

import java.io.PrintWriter;
import java.util.List;

import io.pistream.janus.JanusMountpoint;
import io.pistream.janus.JanusStatus;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The Janus outputs: server, mountpoint, state and last error, as {@code pistream:janus} shows them. */
@Component(service = ConsoleSection.class, enabled = false)
public final class JanusSection implements ConsoleSection {

    private final JanusStatus janus;

    @Activate
    public JanusSection(@Reference JanusStatus janus) {
        this.janus = janus;
    }

    @Override
    public int order() {
        return 25;
    }

    @Override
    public void write(PrintWriter out, ConsolePage page) {
        List<JanusMountpoint> mountpoints = janus.mountpoints();
        if (mountpoints.isEmpty()) {
            return;
        }
        out.println("<h2>Janus</h2>");
        out.println("<table class='tablesorter nicetable'><thead><tr><th>Output</th><th>Janus</th><th>Mountpoint</th>"
                + "<th>Sends</th><th>State</th><th>Reachable</th><th>RTP ports</th><th>Last error</th></tr></thead>"
                + "<tbody>");
        for (JanusMountpoint mountpoint : mountpoints) {
            String sends = mountpoint.video() + (mountpoint.audio().isEmpty() ? "" : " + " + mountpoint.audio());
            String ports = mountpoint.videoPort() == 0 ? "" : mountpoint.videoPort()
                    + (mountpoint.audioPort() == 0 ? "" : ", " + mountpoint.audioPort());
            String error = mountpoint.lastError() == null ? ""
                    : (mountpoint.lastErrorAt() == null ? "" : mountpoint.lastErrorAt() + " ") + mountpoint.lastError();
            out.println("<tr><td>" + Html.escape(mountpoint.name()) + "</td><td>" + Html.escape(mountpoint.url())
                    + "</td><td>" + mountpoint.mountpointId() + "</td><td>" + Html.escape(sends) + "</td><td>"
                    + Html.escape(mountpoint.state()) + "</td><td>" + (mountpoint.reachable() ? "yes" : "no")
                    + "</td><td>" + ports + "</td><td>" + Html.escape(error) + "</td></tr>");
        }
        out.println("</tbody></table>");
    }
}
