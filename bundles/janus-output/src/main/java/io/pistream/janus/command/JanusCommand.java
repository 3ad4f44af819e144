package io.pistream.janus.command;

import java.io.PrintStream;
import java.util.List;

import io.pistream.janus.JanusMountpoint;
import io.pistream.janus.JanusStatus;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code pistream:janus}: the Janus outputs, whether their server answers, their mountpoint and last error. */
@Command(scope = "pistream", name = "janus", description = "Lists the Janus outputs: server, mountpoint, state, last error")
@Service
public class JanusCommand implements Action {

    @Reference
    JanusStatus status;

    @Override
    public Object execute() {
        print(status.mountpoints(), System.out);
        return null;
    }

    static void print(List<JanusMountpoint> mountpoints, PrintStream out) {
        if (mountpoints.isEmpty()) {
            out.println("No Janus output configured (etc/io.pistream.janus-<name>.cfg with url, id, video)");
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Name");
        table.column("Janus");
        table.column("Mountpoint").alignRight();
        table.column("Sends");
        table.column("State");
        table.column("Reachable");
        table.column("RTP ports");
        table.column("RTP");
        table.column("Last error").maxSize(100);
        for (JanusMountpoint mountpoint : mountpoints) {
            String ports = mountpoint.videoPort() == 0 ? "-" : mountpoint.videoPort()
                    + (mountpoint.audioPort() == 0 ? "" : ", " + mountpoint.audioPort());
            String sends = mountpoint.video() + (mountpoint.audio().isEmpty() ? "" : " + " + mountpoint.audio());
            String error = mountpoint.lastError() == null ? "-"
                    : mountpoint.lastErrorAt() == null ? mountpoint.lastError()
                    : mountpoint.lastErrorAt().toString().replaceAll("\\.\\d+Z$", "Z") + " " + mountpoint.lastError();
            table.addRow().addContent(mountpoint.name(), mountpoint.url(), mountpoint.mountpointId(), sends,
                    mountpoint.state(), mountpoint.reachable() ? "yes" : "no", ports,
                    mountpoint.rtp() == null ? "-" : mountpoint.rtp(), error);
        }
        table.print(out);
    }
}
