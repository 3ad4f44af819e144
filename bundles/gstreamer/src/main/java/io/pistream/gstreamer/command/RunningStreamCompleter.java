package io.pistream.gstreamer.command;

import java.util.List;

import io.pistream.api.MediaHub;
import io.pistream.api.StreamStatus;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the ids of running streams. */
@Service
public class RunningStreamCompleter implements Completer {

    @Reference
    MediaHub hub;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        for (StreamStatus stream : hub.streams()) {
            ids.getStrings().add(stream.sourceId());
        }
        return ids.complete(session, commandLine, candidates);
    }
}
