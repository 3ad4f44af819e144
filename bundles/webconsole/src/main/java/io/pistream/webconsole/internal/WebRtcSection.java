package io.pistream.webconsole.internal;

import java.io.PrintWriter;
import java.util.List;

import javax.servlet.http.HttpServletRequest;

import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.WebRtcStatus;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** The WebRTC sessions of the producers and receivers, each with a button that ends it. */
@Component(service = ConsoleSection.class, enabled = false)
public final class WebRtcSection implements ConsoleSection {

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<WebRtcStatus> peers;

    @Override
    public int order() {
        return 10;
    }

    @Override
    public void write(PrintWriter out, ConsolePage page) {
        List<WebRtcStatus> current = peers;
        if (current == null || current.isEmpty()) {
            return;
        }
        out.println("<h2>WebRTC sessions</h2><table class='tablesorter nicetable'><thead><tr><th>Peer</th>"
                + "<th>Session</th><th>Other side</th><th>Codecs</th><th>State</th><th>kbit/s</th>"
                + "<th>Lost</th><th>Loss %</th><th>RTT ms</th><th>Estimate kbit/s</th><th>Tier</th><th>Actions</th></tr>"
                + "</thead><tbody>");
        for (WebRtcStatus peer : current) {
            for (SessionStatus session : peer.sessions()) {
                boolean running = session.endReason() == null;
                out.println("<tr><td>" + Html.escape(peer.role() + " " + peer.name()) + "</td><td>"
                        + Html.escape(session.sessionId()) + "</td><td>" + Html.escape(session.peerId())
                        + "</td><td>" + Html.escape(session.codecs()) + "</td><td>" + Html.escape(session.state())
                        + (running ? "" : " (" + Html.escape(session.endReason()) + ")") + "</td><td>"
                        + session.bitrate() / 1000 + "</td><td>" + session.packetsLost() + "</td><td>"
                        + String.format(java.util.Locale.ROOT, "%.1f", session.lossPercent()) + "</td><td>"
                        + Math.round(session.rttMillis()) + "</td><td>"
                        + (session.estimateKbps() < 0 ? "" : Long.toString(session.estimateKbps())) + "</td><td>"
                        + (session.tier() == null ? "" : Html.escape(session.tier() + (session.tierReason() == null
                                ? "" : " (" + session.tierReason() + ")"))) + "</td><td>"
                        + (running ? page.button("end-session", "session", session.sessionId(), "End") : "")
                        + "</td></tr>");
            }
        }
        out.println("</tbody></table>");
    }

    @Override
    public String perform(String action, HttpServletRequest request) {
        if (!"end-session".equals(action)) {
            return null;
        }
        String session = Requests.session(request);
        List<WebRtcStatus> current = peers;
        boolean ended = current != null && current.stream().anyMatch(peer -> peer.endSession(session));
        return ended ? "Ended session " + session : "No running session " + session;
    }
}
