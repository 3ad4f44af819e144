package io.pistream.webconsole.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;
import io.pistream.gstreamer.GraphFiles;

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
 * (JAAS realm karaf, role admin) protects it. The page refreshes its tables every few seconds; actions are POSTs,
 * each with the session's {@link FormToken}. It shows the hub's sources and streams; the optional features (WebRTC,
 * RTSP, recorder) add their {@link ConsoleSection}s when they are installed, and this class never touches their
 * classes.
 *
 * <p>Everything the page echoes (its own address, parameters, names, errors) is escaped; its script holds no text
 * from the request but reads the address to refresh from an escaped attribute.
 */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=pistream",
    "felix.webconsole.title=pistream",
    "felix.webconsole.category=pistream"})
public final class ConsolePlugin extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ConsolePlugin.class);

    /** Reloads the tables, not the console around them, from the address in the tables' data-refresh attribute. */
    static final String REFRESH_SCRIPT = "<script>setInterval(function(){"
            + "var tables=document.getElementById('pistream-tables');var x=new XMLHttpRequest();"
            + "x.onload=function(){if(x.status==200){tables.innerHTML=x.responseText;}};"
            + "x.open('GET',tables.getAttribute('data-refresh'));x.send();},3000);</script>";

    static final String REFUSED_WITHOUT_TOKEN = "Refused: this form's security token is missing or does not match"
            + " your session (the page was opened before a restart or another login, or another site sent the form)."
            + " Nothing was changed. Reload the pistream page and try again.";

    private final transient MediaHub hub;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile transient List<ConsoleSection> sections;

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
        // the session, and with it the form token, before anything is written: a session's cookie is a header
        ConsolePage page = new ConsolePage(request.getRequestURI(), FormToken.of(request));
        response.setContentType("text/html;charset=UTF-8");
        PrintWriter out = response.getWriter();
        if (request.getParameter("tables") != null) {
            tables(out, page);
            return;
        }
        String message = request.getParameter("message");
        out.println("<div id='pistream-message'>" + Html.escape(message) + "</div>");
        out.println("<div id='pistream-tables' data-refresh='" + page.link("tables", "1") + "'>");
        tables(out, page);
        out.println("</div>");
        out.println(REFRESH_SCRIPT);
    }

    private void tables(PrintWriter out, ConsolePage page) {
        List<ConsoleSection> present = sections();
        out.println("<h2>Sources</h2><table class='tablesorter nicetable'><thead><tr><th>Id</th><th>Kind</th>"
                + "<th>Name</th><th>Running</th><th>Problem</th><th>Actions</th></tr></thead><tbody>");
        for (SourceStatus source : hub.sources()) {
            out.println("<tr><td>" + Html.escape(source.id()) + "</td><td>" + source.kind() + "</td><td>"
                    + Html.escape(source.name()) + "</td><td>" + (source.running() ? "yes" : "no") + "</td><td>"
                    + Html.escape(source.problem()) + "</td><td>"
                    + (source.running() ? page.button("restart", "source", source.id(), "Restart") : "")
                    + present.stream().map(section -> section.sourceActions(source, page))
                            .collect(Collectors.joining())
                    + "</td></tr>");
        }
        out.println("</tbody></table>");

        out.println("<h2>Streams</h2><table class='tablesorter nicetable'><thead><tr><th>Source</th><th>State</th>"
                + "<th>Codec</th><th>Tier</th><th>Encoder</th><th>Consumers</th><th>kbit/s</th><th>Restarts</th>"
                + "<th>Last error</th><th>Graph</th></tr></thead><tbody>");
        for (StreamStatus stream : hub.streams()) {
            for (StreamStatus.EncoderStatus encoder : stream.encoders()) {
                out.println("<tr><td>" + Html.escape(stream.sourceId()) + "</td><td>" + Html.escape(stream.state())
                        + "</td><td>" + Html.escape(encoder.codec()) + "</td><td>"
                        + Html.escape(encoder.asTier().toString()) + "</td><td>" + Html.escape(encoder.encoder())
                        + "</td><td>" + encoder.subscribers() + "</td><td>" + encoder.bitrate() / 1000 + "</td><td>"
                        + stream.restarts() + "</td><td>" + Html.escape(stream.lastError()) + "</td><td><a href='"
                        + page.link("graph", stream.sourceId()) + "' target='_blank'>picture</a></td></tr>");
            }
        }
        out.println("</tbody></table>");

        for (ConsoleSection section : present) {
            section.write(out, page);
        }
    }

    /** The sections of the installed features, in page order. */
    private List<ConsoleSection> sections() {
        List<ConsoleSection> current = sections;
        return current == null ? List.of()
                : current.stream().sorted(Comparator.comparingInt(ConsoleSection::order)).toList();
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!FormToken.isValid(request)) {
            LOG.warn("Web console: refused a post without this session's form token (action {})",
                    printable(request.getParameter("action")));
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().println(REFUSED_WITHOUT_TOKEN);
            return;
        }
        String message;
        try {
            message = perform(request.getParameter("action"), request);
        } catch (MediaException | IllegalArgumentException e) {
            message = "Failed: " + e.getMessage();
        }
        LOG.info("Web console: {}", printable(message));
        // back to the page (post/redirect/get), with what happened
        response.sendRedirect(request.getRequestURI() + "?message="
                + java.net.URLEncoder.encode(message, StandardCharsets.UTF_8));
    }

    private String perform(String action, HttpServletRequest request) throws MediaException {
        String name = action == null ? "" : action;
        if (name.equals("restart")) {
            String source = Requests.id(request, "source");
            return hub.restart(source) ? "Restarted " + source : "Source " + source + " is not running";
        }
        for (ConsoleSection section : sections()) {
            String done = section.perform(name, request);
            if (done != null) {
                return done;
            }
        }
        // The forms of a feature that went away since the page was shown
        return switch (name) {
            case "record-start", "record-stop" ->
                throw new IllegalArgumentException("the recorder feature is not installed");
            case "end-session" -> "No running session " + Requests.session(request);
            default -> throw new IllegalArgumentException("unknown action '" + action + "'");
        };
    }

    /** Text from a request without line breaks and other controls, so that it cannot forge lines in the log. */
    private static String printable(String text) {
        return text == null ? null : text.replaceAll("\\p{Cntrl}", "?");
    }

    private void sendGraph(String source, HttpServletResponse response) throws IOException {
        if (!Requests.isId(source)) {
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
        // the picture opens in a tab of the console's origin and holds names from the pipeline: no script may run in
        // it, and the browser must not guess another type for the text form
        response.setHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType(svg != null ? "image/svg+xml" : "text/plain;charset=UTF-8");
        response.getWriter().write(svg != null ? svg : dot);
    }
}
