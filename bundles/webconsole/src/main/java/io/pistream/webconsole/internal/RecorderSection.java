package io.pistream.webconsole.internal;

import java.io.PrintWriter;

import javax.servlet.http.HttpServletRequest;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.SourceStatus;
import io.pistream.recorder.Recorder;
import io.pistream.recorder.Recording;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The recordings, a Record button on each video source and a Stop button on each running recording. */
@Component(service = ConsoleSection.class, enabled = false)
public final class RecorderSection implements ConsoleSection {

    private final Recorder recorder;

    @Activate
    public RecorderSection(@Reference Recorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public String sourceActions(SourceStatus source, ConsolePage page) {
        return source.kind() == MediaKind.VIDEO ? page.button("record-start", "source", source.id(), "Record") : "";
    }

    @Override
    public void write(PrintWriter out, ConsolePage page) {
        out.println("<h2>Recordings</h2><table class='tablesorter nicetable'><thead><tr><th>Id</th><th>Video</th>"
                + "<th>Audio</th><th>State</th><th>File</th><th>Actions</th></tr></thead><tbody>");
        for (Recording recording : recorder.recordings()) {
            out.println("<tr><td>" + Html.escape(recording.id()) + "</td><td>" + Html.escape(recording.video())
                    + "</td><td>" + Html.escape(recording.audio()) + "</td><td>" + Html.escape(recording.state())
                    + "</td><td>" + Html.escape(recording.file().toString()) + "</td><td>"
                    + (recording.state().equals("RECORDING")
                            ? page.button("record-stop", "recording", recording.id(), "Stop") : "")
                    + "</td></tr>");
        }
        out.println("</tbody></table>");
    }

    @Override
    public String perform(String action, HttpServletRequest request) throws MediaException {
        return switch (action) {
            case "record-start" -> {
                Recording recording = recorder.start(Requests.id(request, "source"), null);
                yield "Recording " + recording.id() + " to " + recording.file();
            }
            case "record-stop" -> {
                Recording recording = recorder.stop(Requests.id(request, "recording"));
                yield "Stopped " + recording.id() + ": " + recording.file();
            }
            default -> null;
        };
    }
}
