package io.pistream.signalling.internal.router;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.signalling.PeerInfo;
import io.pistream.signalling.SessionInfo;
import io.pistream.signalling.protocol.IncomingMessage;
import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.protocol.OutgoingMessage;
import io.pistream.signalling.protocol.PeerPayload;
import io.pistream.signalling.protocol.PeerStatus;
import io.pistream.signalling.protocol.ProtocolVersion;
import io.pistream.signalling.protocol.ServerMeta;

/**
 * The signalling state machine: peers, sessions and the routing rules of the reference server
 * (gst-plugins-rs {@code net/webrtc/signalling/src/handlers/mod.rs}), message for message.
 *
 * <p>Not thread-safe: exactly one thread at a time must call it, one event after the other
 * ({@link SignallingRouter} does that). Outgoing messages go, in order, to each peer's
 * {@link PeerConnection}. A connection that refuses a frame (closed, or its send queue overflowed)
 * gets its peer removed, as on disconnect, once the current event is done.
 *
 * <p>Beyond the reference server, each peer has the identity it authenticated with at the handshake: registering
 * as producer (or producing for a passive consumer) needs the talk role, consuming needs the viewer role, and the
 * server writes the user's name into the meta it stores and relays ({@link ServerMeta#USER}), so that no peer can
 * pose as another. A peer's meta is bounded in size and must be a JSON object (or null) to carry the stamp, and a
 * peer may have only so many open sessions that it started.
 *
 * <p>This class holds the rules; {@link PeerPolicy} checks roles and limits, {@link SessionBook} keeps the sessions
 * and who is in them, {@link PeerOutbox} writes to the connections and notes those that fail, and {@link PeerListing}
 * answers the lists and snapshots.
 */
public final class SessionRouter {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRouter.class);

    private final Supplier<String> sessionIds;
    private final PeerPolicy policy;

    /** Peers in connection order (the reference server's order is unspecified). */
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final SessionBook sessions = new SessionBook();
    private final PeerOutbox outbox;
    private final PeerListing listing;

    public SessionRouter(MessageCodec codec, SignallingLimits limits, Refusals refusals) {
        this(codec, limits, refusals, () -> UUID.randomUUID().toString());
    }

    /**
     * @param codec writes outgoing messages
     * @param limits the bounds on meta and sessions
     * @param refusals counts what the limits and roles refuse
     * @param sessionIds makes session ids (UUID v4 strings in production)
     */
    public SessionRouter(MessageCodec codec, SignallingLimits limits, Refusals refusals,
            Supplier<String> sessionIds) {
        this.sessionIds = sessionIds;
        this.policy = new PeerPolicy(codec, limits, refusals);
        this.outbox = new PeerOutbox(codec, Collections.unmodifiableMap(peers));
        this.listing = new PeerListing(codec, Collections.unmodifiableCollection(peers.values()), sessions);
    }

    // ------------------------------------------------------------------------------------------
    // Events

    /**
     * A client connected ({@code newPeer} in the reference server): it gets {@code welcome}, nobody
     * else is told.
     */
    public void connect(String peerId, PeerConnection connection, PeerIdentity identity) {
        if (peers.containsKey(peerId)) {
            throw new IllegalArgumentException("Peer " + peerId + " already connected");
        }
        // stamped from the start: a peer that leaves without registering is announced with its user too
        PeerStatus initial = new PeerStatus(PeerStatus.INITIAL.roles(), PeerPolicy.stamp(null, identity), null);
        peers.put(peerId, new Peer(peerId, connection, identity, initial));
        LOG.info("Peer {} of user '{}'{} connected from {}", peerId, identity.user(),
                identity.device() ? " (the device)" : "", connection.remoteAddress());
        outbox.send(peerId, new OutgoingMessage.Welcome(peerId));
        removeFailedPeers();
    }

    /**
     * A parsed message from a connected client. A rule that fails sends {@code error} to the
     * sender only.
     */
    public void handle(String peerId, IncomingMessage message) {
        Peer peer = peers.get(peerId);
        if (peer == null) {
            // already removed (its connection failed): nobody is left to answer
            LOG.debug("Dropping {} from removed peer {}", message, peerId);
            return;
        }
        String error = dispatch(peer, message);
        peer.receivedFirstMessage = true;
        if (error != null) {
            LOG.debug("Error for peer {}: {}", peerId, error);
            outbox.send(peerId, new OutgoingMessage.ErrorMessage(error));
        }
        removeFailedPeers();
    }

    /**
     * A client went away (close frame, read error, end of stream): its sessions end (the other
     * members get {@code endSession}), then every listener gets {@code peerStatusChanged} with
     * {@code roles:[]}. Unknown peers are ignored.
     */
    public void disconnect(String peerId) {
        removePeer(peerId);
        removeFailedPeers();
    }

    /** Closes every connection (server shutdown). The peers are forgotten without notifications. */
    public void closeAll() {
        for (Peer peer : peers.values()) {
            peer.connection.close();
        }
        peers.clear();
        sessions.clear();
        outbox.clear();
    }

    // ------------------------------------------------------------------------------------------
    // Rules

    private String dispatch(Peer peer, IncomingMessage message) {
        if (message instanceof IncomingMessage.SetPeerStatus m) {
            return setPeerStatus(peer, m.status());
        } else if (message instanceof IncomingMessage.StartSession m) {
            return startSession(peer, m.peerId(), m.offer());
        } else if (message instanceof IncomingMessage.Peer m) {
            return peerMessage(peer, m.sessionId(), m.payload());
        } else if (message instanceof IncomingMessage.EndSession m) {
            return endSession(peer.id, m.sessionId(), null, false);
        } else if (message instanceof IncomingMessage.EndSessionV1_1 m) {
            return endSession(peer.id, m.sessionId(), m.error(), true);
        } else if (message instanceof IncomingMessage.ListProducers) {
            outbox.send(peer.id, new OutgoingMessage.ProducerList(listing.entries(true)));
            return null;
        } else if (message instanceof IncomingMessage.ListConsumers) {
            outbox.send(peer.id, new OutgoingMessage.ConsumerList(listing.entries(false)));
            return null;
        } else if (message instanceof IncomingMessage.SetProtocolVersion m) {
            return setProtocolVersion(peer, m.version());
        }
        throw new IllegalArgumentException("Unknown message " + message);
    }

    private String setPeerStatus(Peer peer, PeerStatus sent) {
        JsonNode meta = sent.meta();
        String refused = policy.checkMeta(peer, meta);
        if (refused != null) {
            return refused;
        }
        // compared with the stamp, as stored: a resend of the same status is still "unchanged"
        PeerStatus status = new PeerStatus(sent.roles(), PeerPolicy.stamp(meta, peer.identity), sent.peerId());
        if (status.equals(peer.status)) {
            LOG.debug("Status for '{}' hasn't changed", peer.id);
            return null;
        }
        if (status.producing() && status.consuming()) {
            return "Cannot register peer " + peer.id + " as both producer and passive consumer";
        }
        refused = policy.checkRegistration(peer, status);
        if (refused != null) {
            return refused;
        }
        if (peer.status.producing() && !status.producing()) {
            stopSessions(sessions.takeProducing(peer.id), peer.id);
        } else if (peer.status.consuming() && !status.consuming()) {
            stopSessions(sessions.takeConsuming(peer.id), peer.id);
        }
        peer.status = status.withPeerId(peer.id);
        // every listener, the sender included: gstwebrtc-api waits for this echo
        outbox.broadcastToListeners(new OutgoingMessage.PeerStatusChanged(status.roles(), status.meta(), peer.id));
        LOG.debug("Peer {} registered as {}", peer.id, status.rolesDebug());
        return null;
    }

    private String setProtocolVersion(Peer peer, ProtocolVersion version) {
        if (peer.receivedFirstMessage) {
            return "Protocol version selection for peer '" + peer.id + "' must be first message";
        }
        peer.version = version;
        return null;
    }

    private String startSession(Peer from, String toId, String offer) {
        Peer to = peers.get(toId);
        if (to == null) {
            return "Peer with ID '" + toId + "' not found";
        }
        String producerId;
        String consumerId;
        if (to.status.producing()) {
            producerId = toId;
            consumerId = from.id;
        } else if (to.status.consuming()) {
            producerId = from.id;
            consumerId = toId;
        } else {
            return "Missing a producer or a consumer: id " + from.id + " roles " + from.status.rolesDebug()
                    + ", id " + toId + " roles " + to.status.rolesDebug();
        }
        String refused = policy.checkStart(from, producerId, consumerId);
        if (refused != null) {
            return refused;
        }
        String sessionId = sessionIds.get();
        sessions.open(new Session(sessionId, producerId, consumerId, from.id));
        from.startedSessions++;
        // this order matters: webrtcsrc and gstwebrtc-api need sessionStarted before anything else
        outbox.send(consumerId, new OutgoingMessage.SessionStarted(producerId, sessionId));
        outbox.send(producerId, new OutgoingMessage.StartSession(consumerId, sessionId, offer));
        LOG.debug("Started session {}: producer {}, consumer {}", sessionId, producerId, consumerId);
        return null;
    }

    private String peerMessage(Peer from, String sessionId, PeerPayload payload) {
        Session session = sessions.get(sessionId);
        if (session == null) {
            LOG.debug("Peer {} sent a peer message for unknown session {}", from.id, sessionId);
            return null;
        }
        if (payload instanceof PeerPayload.Sdp sdp && sdp.type() == PeerPayload.SdpType.OFFER
                && from.id.equals(session.consumer())) {
            return "cannot forward offer from \"" + from.id + "\" to \"" + session.producer() + "\" as \""
                    + from.id + "\" is not the producer";
        }
        String other = session.other(from.id);
        if (other == null) {
            return "Peer " + from.id + " is not part of " + sessionId;
        }
        outbox.send(other, new OutgoingMessage.Peer(sessionId, payload));
        return null;
    }

    /**
     * Ends a session and tells the other member only. As in the reference server the session is
     * removed before the sender is checked, so a non-member that names a session ends it and gets an
     * error, and nobody is told.
     *
     * @param v11Message whether the request was {@code endSessionV1_1}
     */
    private String endSession(String fromId, String sessionId, String error, boolean v11Message) {
        Session session = sessions.close(sessionId);
        if (session == null) {
            LOG.debug("Peer {} asked to end unknown session {}", fromId, sessionId);
            return null;
        }
        Peer initiator = peers.get(session.initiator());
        if (initiator != null) {
            initiator.startedSessions--;
        }

        String otherId = session.other(fromId);
        if (otherId == null) {
            return "Peer " + fromId + " is not part of " + sessionId;
        }
        if (v11Message && error != null) {
            Peer from = peers.get(fromId);
            if (from == null || !from.version.atLeast(ProtocolVersion.V1_1)) {
                return "Invalid end session message with error from peer '" + fromId
                        + "', minimum protocol version is 1.1";
            }
        }
        Peer other = peers.get(otherId);
        if (other != null && other.version.atLeast(ProtocolVersion.V1_1)) {
            outbox.send(otherId, new OutgoingMessage.EndSessionV1_1(sessionId, error));
        } else {
            outbox.send(otherId, new OutgoingMessage.EndSession(sessionId));
        }
        return null;
    }

    private void stopSessions(List<String> sessionIds, String peerId) {
        for (String sessionId : sessionIds) {
            String error = endSession(peerId, sessionId, null, false);
            if (error != null) {
                LOG.error("Could not end session {}: {}", sessionId, error);
            }
        }
    }

    private void removePeer(String peerId) {
        Peer peer = peers.remove(peerId);
        if (peer == null) {
            return;
        }
        LOG.info("Removing peer {}", peerId);
        stopSessions(sessions.takeProducing(peerId), peerId);
        stopSessions(sessions.takeConsuming(peerId), peerId);
        // after every endSession: listeners learn the peer is gone, with its last meta
        outbox.broadcastToListeners(new OutgoingMessage.PeerStatusChanged(List.of(), peer.status.meta(), peerId));
    }

    /** Removes, once the event is done, each peer whose connection refused a frame, and those its removal fails. */
    private void removeFailedPeers() {
        for (String peerId = outbox.takeFailed(); peerId != null; peerId = outbox.takeFailed()) {
            if (peers.containsKey(peerId)) {
                LOG.info("Peer {}: connection closed or send queue full, removing it", peerId);
                removePeer(peerId);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Status

    public int peerCount() {
        return peers.size();
    }

    public int sessionCount() {
        return sessions.size();
    }

    /**
     * @return a snapshot of the peers, in connection order
     */
    public List<PeerInfo> peerInfos() {
        return listing.infos();
    }

    /**
     * @return a snapshot of the sessions, in start order
     */
    public List<SessionInfo> sessionInfos() {
        return sessions.infos();
    }
}
