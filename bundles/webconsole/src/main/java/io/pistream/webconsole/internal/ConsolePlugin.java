package io.pistream.webconsole.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;
import io.pistream.gstreamer.GraphFiles;
import io.pistream.recorder.Recorder;
import io.pistream.recorder.Recording;
import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.WebRtcStatus;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "pistream" page of the Felix web console at {@code /system/console/pistream}: the console's own login
 * (JAAS realm karaf, role admin) protects it. The page refreshes its tables every few seconds; actions are POSTs.
 */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=pistream",
    "felix.webconsole.title=pistream",
    "felix.webconsole.category=pistream"})
public final class ConsolePlugin extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsolePlugin.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9-]{1,64}");

    private final transient MediaHub hub;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient Recorder recorder;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient List<WebRtcStatus> webrtc;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient RtspServerStatus rtsp;

    @Activate
    public ConsolePlugin(@Reference MediaHub hub) {
        this.hub = hub;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String graph = request.getParameter("graph");
        if (graph != null) {
            sendGraph(graph, response);
            return;
        }
        response.setContentType("text/html;charset=UTF-8");
        PrintWriter out = response.getWriter();
        if (request.getParameter("tables") != null) {
            tables(out, request);
            return;
        }
        String message = request.getParameter("message");
        out.println("<div id='pistream-message'>" + (message == null ? "" : Html.escape(message)) + "</div>");
        out.println("<div id='pistream-tables'>");
        tables(out, request);
        out.println("</div>");
        // live figures: reload the tables, not the console around them
        out.println("<script>setInterval(function(){var x=new XMLHttpRequest();x.onload=function(){"
                + "if(x.status==200){document.getElementById('pistream-tables').innerHTML=x.responseText;}};"
                + "x.open('GET','" + request.getRequestURI() + "?tables=1');x.send();},3000);</script>");
    }

    private void tables(PrintWriter out, HttpServletRequest request) {
        String self = request.getRequestURI();
        out.println("<h2>Sources</h2><table class='tablesorter nicetable'><thead><tr><th>Id</th><th>Kind</th>"
                + "<th>Name</th><th>Running</th><th>Problem</th><th>Actions</th></tr></thead><tbody>");
        for (SourceStatus source : hub.sources()) {
            out.println("<tr><td>" + Html.escape(source.id()) + "</td><td>" + source.kind() + "</td><td>"
                    + Html.escape(source.name()) + "</td><td>" + (source.running() ? "yes" : "no") + "</td><td>"
                    + Html.escape(source.problem()) + "</td><td>"
                    + (source.running() ? action(self, "restart", "source", source.id(), "Restart") : "")
                    + (recorder != null && source.kind().name().equals("VIDEO")
                            ? action(self, "record-start", "source", source.id(), "Record") : "")
                    + "</td></tr>");
        }
        out.println("</tbody></table>");

        out.println("<h2>Streams</h2><table class='tablesorter nicetable'><thead><tr><th>Source</th><th>State</th>"
                + "<th>Codec</th><th>Encoder</th><th>Consumers</th><th>kbit/s</th><th>Restarts</th>"
                + "<th>Last error</th><th>Graph</th></tr></thead><tbody>");
        for (StreamStatus stream : hub.streams()) {
            for (StreamStatus.EncoderStatus encoder : stream.encoders()) {
                out.println("<tr><td>" + Html.escape(stream.sourceId()) + "</td><td>" + stream.state() + "</td><td>"
                        + encoder.codec() + "</td><td>" + Html.escape(encoder.encoder()) + "</td><td>"
                        + encoder.subscribers() + "</td><td>" + encoder.bitrate() / 1000 + "</td><td>"
                        + stream.restarts() + "</td><td>" + Html.escape(stream.lastError()) + "</td><td><a href='"
                        + self + "?graph=" + Html.escape(stream.sourceId()) + "' target='_blank'>picture</a></td></tr>");
            }
        }
        out.println("</tbody></table>");

        List<WebRtcStatus> peers = webrtc;
        if (peers != null && !peers.isEmpty()) {
            out.println("<h2>WebRTC sessions</h2><table class='tablesorter nicetable'><thead><tr><th>Peer</th>"
                    + "<th>Session</th><th>Other side</th><th>Codecs</th><th>State</th><th>kbit/s</th>"
                    + "<th>Lost</th><th>RTT ms</th><th>Actions</th></tr></thead><tbody>");
            for (WebRtcStatus peer : peers) {
                for (SessionStatus session : peer.sessions()) {
                    boolean running = session.endReason() == null;
                    out.println("<tr><td>" + Html.escape(peer.role() + " " + peer.name()) + "</td><td>"
                            + Html.escape(session.sessionId()) + "</td><td>" + Html.escape(session.peerId())
                            + "</td><td>" + Html.escape(session.codecs()) + "</td><td>" + Html.escape(session.state())
                            + (running ? "" : " (" + Html.escape(session.endReason()) + ")") + "</td><td>"
                            + session.bitrate() / 1000 + "</td><td>" + session.packetsLost() + "</td><td>"
                            + Math.round(session.rttMillis()) + "</td><td>"
                            + (running ? action(self, "end-session", "session", session.sessionId(), "End") : "")
                            + "</td></tr>");
                }
            }
            out.println("</tbody></table>");
        }

        RtspServerStatus server = rtsp;
        if (server != null) {
            out.println("<h2>RTSP " + (server.running() ? "on port " + server.port()
                    : "stopped: " + Html.escape(server.problem())) + "</h2>"
                    + "<table class='tablesorter nicetable'><thead><tr><th>Mount</th><th>State</th><th>Sources</th>"
                    + "<th>Players</th><th>Detail</th></tr></thead><tbody>");
            for (RtspMount mount : server.mounts()) {
                out.println("<tr><td>" + Html.escape(mount.url() != null ? mount.url() : mount.path()) + "</td><td>"
                        + Html.escape(mount.state()) + "</td><td>" + Html.escape(mount.kind().equals("hub")
                                ? mount.video() + (mount.audio() == null ? "" : " + " + mount.audio()) : "launch")
                        + "</td><td>" + mount.clients() + "</td><td>" + Html.escape(mount.detail()) + "</td></tr>");
            }
            out.println("</tbody></table><table class='tablesorter nicetable'><thead><tr><th>Player</th>"
                    + "<th>Mount</th><th>Transport</th><th>Since</th></tr></thead><tbody>");
            for (RtspClient client : server.clients()) {
                out.println("<tr><td>" + Html.escape(client.address()) + "</td><td>" + Html.escape(client.path())
                        + "</td><td>" + Html.escape(client.transport()) + "</td><td>" + client.connectedAt()
                        + "</td></tr>");
            }
            out.println("</tbody></table>");
        }

        Recorder current = recorder;
        if (current != null) {
            out.println("<h2>Recordings</h2><table class='tablesorter nicetable'><thead><tr><th>Id</th><th>Video</th>"
                    + "<th>Audio</th><th>State</th><th>File</th><th>Actions</th></tr></thead><tbody>");
            for (Recording recording : current.recordings()) {
                out.println("<tr><td>" + recording.id() + "</td><td>" + Html.escape(recording.video()) + "</td><td>"
                        + Html.escape(recording.audio()) + "</td><td>" + Html.escape(recording.state()) + "</td><td>"
                        + Html.escape(recording.file().toString()) + "</td><td>"
                        + (recording.state().equals("RECORDING")
                                ? action(self, "record-stop", "recording", recording.id(), "Stop") : "")
                        + "</td></tr>");
            }
            out.println("</tbody></table>");
        }
    }

    private static String action(String self, String action, String name, String value, String label) {
        return "<form method='post' action='" + self + "' style='display:inline'><input type='hidden' name='action' "
                + "value='" + action + "'><input type='hidden' name='" + name + "' value='" + Html.escape(value)
                + "'><button type='submit'>" + label + "</button></form> ";
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String message;
        try {
            message = perform(request.getParameter("action"), request);
        } catch (MediaException | IllegalArgumentException e) {
            message = "Failed: " + e.getMessage();
        }
        LOG.info("Web console: {}", message);
        // back to the page (post/redirect/get), with what happened
        response.sendRedirect(request.getRequestURI() + "?message="
                + java.net.URLEncoder.encode(message, StandardCharsets.UTF_8));
    }

    private String perform(String action, HttpServletRequest request) throws MediaException {
        switch (action == null ? "" : action) {
            case "restart" -> {
                String source = id(request, "source");
                return hub.restart(source) ? "Restarted " + source : "Source " + source + " is not running";
            }
            case "record-start" -> {
                Recording recording = requireRecorder().start(id(request, "source"), null);
                return "Recording " + recording.id() + " to " + recording.file();
            }
            case "record-stop" -> {
                Recording recording = requireRecorder().stop(id(request, "recording"));
                return "Stopped " + recording.id() + ": " + recording.file();
            }
            case "end-session" -> {
                String session = request.getParameter("session");
                if (session == null || !SESSION.matcher(session).matches()) {
                    throw new IllegalArgumentException("invalid session '" + session + "'");
                }
                List<WebRtcStatus> peers = webrtc;
                boolean ended = peers != null && peers.stream().anyMatch(peer -> peer.endSession(session));
                return ended ? "Ended session " + session : "No running session " + session;
            }
            default -> throw new IllegalArgumentException("unknown action '" + action + "'");
        }
    }

    private Recorder requireRecorder() {
        Recorder current = recorder;
        if (current == null) {
            throw new IllegalArgumentException("the recorder feature is not installed");
        }
        return current;
    }

    private static String id(HttpServletRequest request, String name) {
        String value = request.getParameter(name);
        if (value == null || !ID.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid " + name + " '" + value + "'");
        }
        return value;
    }

    private void sendGraph(String source, HttpServletResponse response) throws IOException {
        if (!ID.matcher(source).matches()) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "invalid source id");
            return;
        }
        String dot = hub.graph(source);
        if (dot == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "stream " + source + " is not running");
            return;
        }
        String svg;
        try {
            svg = GraphFiles.toSvg(dot);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            svg = null;
        }
        response.setContentType(svg != null ? "image/svg+xml" : "text/plain;charset=UTF-8");
        response.getWriter().write(svg != null ? svg : dot);
    }
}
