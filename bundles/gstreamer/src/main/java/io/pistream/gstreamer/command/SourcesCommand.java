package io.pistream.gstreamer.command;

import io.pistream.api.MediaHub;
import io.pistream.api.SourceStatus;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** Every configured source, whether it runs, and what is wrong with it. */
@Service
@Command(scope = "pistream", name = "sources", description = "Lists the media sources and their problems")
public class SourcesCommand implements Action {

    @Reference
    MediaHub hub;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Kind");
        table.column("Name");
        table.column("Running");
        table.column("Raw caps");
        table.column("Problem");
        for (SourceStatus source : hub.sources()) {
            table.addRow().addContent(source.id(), source.kind().name().toLowerCase(), source.name(),
                    source.running() ? "yes" : "no", source.rawCaps(), source.problem() == null ? "" : source.problem());
        }
        table.print(System.out);
        return null;
    }
}
