package io.pistream.webrtc.command;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.SignallingStatus;
import io.pistream.webrtc.WebRtcStatus;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** WebRTC sessions of the producer and the receiver, with their signalling connections. */
@Service
@Command(scope = "pistream", name = "sessions",
        description = "Lists WebRTC sessions: viewer or producer id, codec, state, bitrate, packets lost, loss now, RTT, "
                + "the viewer's estimate, and the tier of the quality ladder with why the viewer is on it")
public class SessionsCommand implements Action {

    @Reference
    BundleContext context;

    @Override
    public Object execute() throws InvalidSyntaxException {
        List<WebRtcStatus> peers = new ArrayList<>();
        Collection<ServiceReference<WebRtcStatus>> references = context.getServiceReferences(WebRtcStatus.class, null);
        for (ServiceReference<WebRtcStatus> reference : references) {
            WebRtcStatus peer = context.getService(reference);
            if (peer != null) {
                peers.add(peer);
            }
        }
        try {
            print(peers, System.out);
        } finally {
            references.forEach(context::ungetService);
        }
        return null;
    }

    static void print(List<WebRtcStatus> peers, PrintStream out) {
        if (peers.isEmpty()) {
            out.println("No WebRTC producer or receiver is running");
            return;
        }
        for (WebRtcStatus peer : peers) {
            SignallingStatus signalling = peer.signalling();
            out.println(peer.role() + " '" + peer.name() + "': " + signalling.state() + " at " + signalling.url()
                    + (signalling.peerId() == null ? "" : " as " + signalling.peerId())
                    + (signalling.reconnects() == 0 ? "" : ", " + signalling.reconnects() + " reconnects")
                    + (signalling.lastError() == null ? "" : " (" + signalling.lastError() + ")"));
        }
        ShellTable table = new ShellTable();
        table.column("Session");
        table.column("Role");
        table.column("Peer");
        table.column("Codecs");
        table.column("State");
        table.column("kbit/s");
        table.column("Lost");
        table.column("Loss %");
        table.column("RTT ms");
        table.column("Est. kbit/s");
        table.column("Tier");
        table.column("Why this tier");
        table.column("1st media ms");
        table.column("Age s");
        table.column("End reason");
        long now = System.currentTimeMillis();
        for (WebRtcStatus peer : peers) {
            for (SessionStatus session : peer.sessions()) {
                table.addRow().addContent(session.sessionId(), session.role(), session.peerId(), session.codecs(),
                        session.state(), session.bitrate() / 1000, session.packetsLost(),
                        String.format("%.1f", session.lossPercent()),
                        session.rttMillis() < 0 ? "" : String.format("%.1f", session.rttMillis()),
                        session.estimateKbps() < 0 ? "" : session.estimateKbps(), tier(session),
                        session.tierReason() == null ? "" : session.tierReason(),
                        session.firstMediaMillis() < 0 ? "" : session.firstMediaMillis(),
                        (now - session.startedMillis()) / 1000, session.endReason() == null ? "" : session.endReason());
            }
        }
        table.print(out);
    }

    /** For example {@code 1 640x360}; the top of a source of unknown size is {@code 0}. */
    private static String tier(SessionStatus session) {
        if (session.tier() == null) {
            return "";
        }
        return session.tier().index() + (session.tier().width() == 0 ? ""
                : " " + session.tier().width() + "x" + session.tier().height());
    }
}
