package io.pistream.signalling.internal.router;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.protocol.OutgoingMessage;

/**
 * Writes the router's messages to its peers' connections, in the order they are sent, and remembers each peer whose
 * connection refused a frame so that the router can remove it once the current event is done (removing it at once
 * would change the peers in the middle of a rule).
 */
final class PeerOutbox {

    private final MessageCodec codec;
    /** The router's peers, read only here. */
    private final Map<String, Peer> peers;
    /** Peers whose connection refused a frame during the current event. */
    private final Set<String> failedPeers = new LinkedHashSet<>();

    PeerOutbox(MessageCodec codec, Map<String, Peer> peers) {
        this.codec = codec;
        this.peers = peers;
    }

    /** Sends to one peer; a peer no longer connected is skipped. */
    void send(String peerId, OutgoingMessage message) {
        Peer peer = peers.get(peerId);
        if (peer != null) {
            sendText(peer, codec.encode(message));
        }
    }

    /** Sends to every peer with the listener role, encoding the message once. */
    void broadcastToListeners(OutgoingMessage message) {
        String text = null;
        for (Peer peer : peers.values()) {
            if (peer.status.listening()) {
                if (text == null) {
                    text = codec.encode(message);
                }
                sendText(peer, text);
            }
        }
    }

    /** @return the first peer whose connection refused a frame, now forgotten here, or {@code null} if none did */
    String takeFailed() {
        Iterator<String> it = failedPeers.iterator();
        if (!it.hasNext()) {
            return null;
        }
        String peerId = it.next();
        it.remove();
        return peerId;
    }

    void clear() {
        failedPeers.clear();
    }

    private void sendText(Peer peer, String text) {
        if (!peer.connection.send(text)) {
            failedPeers.add(peer.id);
        }
    }
}
