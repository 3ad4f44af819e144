package io.pistream.signalling.command;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import io.pistream.signalling.PeerInfo;
import io.pistream.signalling.SessionInfo;
import io.pistream.signalling.SignallingServer;

/**
 * {@code pistream:peers}: the peers connected to the signalling server, with roles, meta and sessions.
 */
@Service
@Command(scope = "pistream", name = "peers", description = "Lists the peers connected to the signalling server")
public class PeersCommand implements Action {

    private static final int SHORT_META = 40;

    @Reference
    SignallingServer server;

    @Option(name = "-v", aliases = "--verbose", description = "Show the whole meta")
    boolean verbose;

    @Override
    public Object execute() {
        print(System.out);
        return null;
    }

    void print(PrintStream out) {
        List<PeerInfo> peers = server.peers();
        ShellTable table = new ShellTable();
        table.column("Peer");
        table.column("Roles");
        table.column("Meta").maxSize(verbose ? -1 : SHORT_META);
        table.column("Protocol");
        table.column("Sessions");
        table.column("Remote");
        table.emptyTableText("No peer connected");
        for (PeerInfo peer : peers) {
            table.addRow().addContent(
                    peer.id(),
                    peer.roles().isEmpty() ? "-" : String.join(",", peer.roles()),
                    peer.meta() == null ? "-" : peer.meta(),
                    peer.protocolVersion(),
                    sessions(peer),
                    peer.remoteAddress() == null ? "-" : peer.remoteAddress());
        }
        table.print(out);
        out.println(peers.size() + " peer(s), " + server.sessions().size() + " session(s)");
    }

    /** {@code <session> producer for <consumer>} / {@code <session> consumer of <producer>}, one per line. */
    private static String sessions(PeerInfo peer) {
        if (peer.sessions().isEmpty()) {
            return "-";
        }
        return peer.sessions().stream().map(s -> describe(peer.id(), s)).collect(Collectors.joining("\n"));
    }

    private static String describe(String peerId, SessionInfo session) {
        if (session.producerId().equals(peerId) && session.consumerId().equals(peerId)) {
            return session.id() + " with itself";
        }
        if (session.producerId().equals(peerId)) {
            return session.id() + " producer for " + session.consumerId();
        }
        return session.id() + " consumer of " + session.producerId();
    }
}
