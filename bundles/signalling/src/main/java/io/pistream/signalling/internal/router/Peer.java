package io.pistream.signalling.internal.router;

import io.pistream.signalling.protocol.PeerStatus;
import io.pistream.signalling.protocol.ProtocolVersion;

/** A connected peer as the router knows it: its connection, who it is, and what it said about itself. */
final class Peer {
    final String id;
    final PeerConnection connection;
    final PeerIdentity identity;
    PeerStatus status;
    ProtocolVersion version = ProtocolVersion.V1_0;
    boolean receivedFirstMessage;
    /** Open sessions this peer asked for with startSession, whatever its role in them. */
    int startedSessions;

    Peer(String id, PeerConnection connection, PeerIdentity identity, PeerStatus status) {
        this.id = id;
        this.connection = connection;
        this.identity = identity;
        this.status = status;
    }

    /** {@code <id> (user '<name>')}, for refusals. */
    String describe() {
        return id + " (user '" + identity.user() + "')";
    }
}
