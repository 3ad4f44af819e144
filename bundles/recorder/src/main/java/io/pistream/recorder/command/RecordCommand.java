package io.pistream.recorder.command;

import io.pistream.recorder.Recorder;
import io.pistream.recorder.Recording;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;

/** Starts, stops and lists recordings. */
@Service
@Command(scope = "pistream", name = "record", description = "Records a source to a file: record [-a AUDIO] start SOURCE, "
        + "record stop ID, record list")
public class RecordCommand implements Action {

    @Reference
    Recorder recorder;

    @Argument(index = 0, name = "action", description = "start, stop or list", required = true)
    @Completion(values = {"start", "stop", "list"}, value = StringsCompleter.class)
    String action;

    @Argument(index = 1, name = "target", description = "The video source to start, or the recording to stop")
    String target;

    @Option(name = "-a", aliases = "--audio", description = "An audio source to record with the video")
    String audio;

    @Override
    public Object execute() throws Exception {
        switch (action) {
            case "start" -> {
                Recording recording = recorder.start(require(), audio);
                System.out.println("Recording " + recording.id() + " to " + recording.file());
            }
            case "stop" -> {
                Recording recording = recorder.stop(require());
                System.out.println("Stopped " + recording.id() + ": " + recording.file());
            }
            case "list" -> {
                ShellTable table = new ShellTable();
                table.column("Id");
                table.column("Video");
                table.column("Audio");
                table.column("State");
                table.column("Started");
                table.column("File");
                for (Recording recording : recorder.recordings()) {
                    table.addRow().addContent(recording.id(), recording.video(),
                            recording.audio() == null ? "" : recording.audio(), recording.state()
                                    + (recording.error() == null ? "" : ": " + recording.error()),
                            recording.started(), recording.file());
                }
                table.print(System.out);
            }
            default -> throw new IllegalArgumentException("Unknown action '" + action + "': use start, stop or list");
        }
        return null;
    }

    private String require() {
        if (target == null) {
            throw new IllegalArgumentException("pistream:record " + action + " needs a source id or recording id");
        }
        return target;
    }
}
