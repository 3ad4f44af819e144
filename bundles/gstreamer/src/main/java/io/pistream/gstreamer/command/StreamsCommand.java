package io.pistream.gstreamer.command;

import io.pistream.api.MediaHub;
import io.pistream.api.StreamStatus;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** The running capture pipelines with their encoders and consumers. */
@Service
@Command(scope = "pistream", name = "streams",
        description = "Lists running pipelines, encoders (one per codec and tier) and their consumers")
public class StreamsCommand implements Action {

    @Reference
    MediaHub hub;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Source");
        table.column("State");
        table.column("Codec");
        table.column("Tier");
        table.column("Encoder");
        table.column("Consumers");
        table.column("kbit/s");
        table.column("Restarts");
        table.column("Last error");
        for (StreamStatus stream : hub.streams()) {
            if (stream.encoders().isEmpty()) {
                table.addRow().addContent(stream.sourceId(), stream.state(), "", "", "", 0, "", stream.restarts(),
                        text(stream.lastError()));
            }
            for (StreamStatus.EncoderStatus encoder : stream.encoders()) {
                table.addRow().addContent(stream.sourceId(), stream.state(), encoder.codec(), encoder.asTier(),
                        encoder.encoder(), encoder.subscribers(), encoder.bitrate() / 1000, stream.restarts(),
                        text(stream.lastError()));
            }
        }
        table.print(System.out);
        return null;
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}
