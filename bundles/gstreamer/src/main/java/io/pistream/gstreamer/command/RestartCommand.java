package io.pistream.gstreamer.command;

import io.pistream.api.MediaHub;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Rebuilds a running source's capture, for example after replugging its camera. */
@Service
@Command(scope = "pistream", name = "restart", description = "Rebuilds a running source's capture; viewers stay")
public class RestartCommand implements Action {

    @Reference
    MediaHub hub;

    @Argument(index = 0, name = "source", description = "Id of a running source", required = true)
    @Completion(RunningStreamCompleter.class)
    String source;

    @Override
    public Object execute() {
        if (!hub.restart(source)) {
            throw new IllegalArgumentException("Source '" + source + "' is not running");
        }
        System.out.println("Restarted " + source);
        return null;
    }
}
