package io.pistream.gstreamer.command;

import java.nio.file.Path;
import java.util.List;

import io.pistream.api.MediaHub;
import io.pistream.gstreamer.GraphFiles;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** Writes the pipeline graph of a running source as .dot, and .svg when Graphviz is installed. */
@Service
@Command(scope = "pistream", name = "graph", description = "Writes the pipeline graph of a running stream (.dot, .svg)")
public class GraphCommand implements Action {

    @Reference
    MediaHub hub;

    @Argument(index = 0, name = "stream", description = "Id of a running source (see pistream:streams)",
            required = true)
    @Completion(RunningStreamCompleter.class)
    String stream;

    @Option(name = "-o", aliases = "--output", description = "File name without extension "
            + "(default: data/graphs/<stream>)")
    String output;

    @Override
    public Object execute() throws Exception {
        String dot = hub.graph(stream);
        if (dot == null) {
            throw new IllegalArgumentException("Stream '" + stream + "' is not running; running: "
                    + hub.streams().stream().map(s -> s.sourceId()).toList());
        }
        Path base = output != null ? Path.of(output)
                : Path.of(System.getProperty("karaf.data", "."), "graphs", stream);
        List<Path> written = GraphFiles.write(dot, base);
        written.forEach(file -> System.out.println("Wrote " + file.toAbsolutePath()));
        if (written.size() == 1) {
            System.out.println("Install Graphviz (apt-get install graphviz) to get an SVG picture as well.");
        }
        return null;
    }
}
