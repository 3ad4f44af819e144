package io.pistream.signalling.internal.router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pistream.api.security.Role;
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
 */
public final class SessionRouter {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRouter.class);

    private final MessageCodec codec;
    private final Supplier<String> sessionIds;
    private final SignallingLimits limits;
    private final Refusals refusals;

    /** Peers in connection order (the reference server's order is unspecified). */
    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final Map<String, Session> sessions = new LinkedHashMap<>();
    /** Peer id → ids of the sessions where it is the producer, by its role in the session. */
    private final Map<String, Set<String>> producerSessions = new HashMap<>();
    /** Peer id → ids of the sessions where it is the consumer. */
    private final Map<String, Set<String>> consumerSessions = new HashMap<>();
    /** Peers whose connection refused a frame during the current event. */
    private final Set<String> failedPeers = new LinkedHashSet<>();

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
        this.codec = codec;
        this.limits = limits;
        this.refusals = refusals;
        this.sessionIds = sessionIds;
    }

    private static final class Peer {
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

    /** @param initiator the peer that sent startSession, whose count of started sessions this one is in */
    private record Session(String id, String producer, String consumer, String initiator) {
        /** @return the other member, or {@code null} if {@code peerId} is not a member */
        String other(String peerId) {
            if (producer.equals(peerId)) {
                return consumer;
            }
            if (consumer.equals(peerId)) {
                return producer;
            }
            return null;
        }
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
        PeerStatus initial = new PeerStatus(PeerStatus.INITIAL.roles(), stamp(null, identity), null);
        peers.put(peerId, new Peer(peerId, connection, identity, initial));
        LOG.info("Peer {} of user '{}'{} connected from {}", peerId, identity.user(),
                identity.device() ? " (the device)" : "", connection.remoteAddress());
        send(peerId, new OutgoingMessage.Welcome(peerId));
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
            send(peerId, new OutgoingMessage.ErrorMessage(error));
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
        producerSessions.clear();
        consumerSessions.clear();
        failedPeers.clear();
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
            send(peer.id, new OutgoingMessage.ProducerList(entries(true)));
            return null;
        } else if (message instanceof IncomingMessage.ListConsumers) {
            send(peer.id, new OutgoingMessage.ConsumerList(entries(false)));
            return null;
        } else if (message instanceof IncomingMessage.SetProtocolVersion m) {
            return setProtocolVersion(peer, m.version());
        }
        throw new IllegalArgumentException("Unknown message " + message);
    }

    private String setPeerStatus(Peer peer, PeerStatus sent) {
        JsonNode meta = sent.meta();
        if (meta != null && !meta.isObject()) {
            return refuse(Refusals.Reason.META, "The meta of peer " + peer.id
                    + " must be a JSON object or null, to carry the field \"" + ServerMeta.USER + "\" the server adds");
        }
        int metaBytes = meta == null ? 0 : Utf8.length(codec.toJson(meta));
        if (metaBytes > limits.maxMetaBytes()) {
            return refuse(Refusals.Reason.META, "The meta of peer " + peer.id + " has " + metaBytes
                    + " bytes, more than the " + limits.maxMetaBytes() + " allowed");
        }
        // compared with the stamp, as stored: a resend of the same status is still "unchanged"
        PeerStatus status = new PeerStatus(sent.roles(), stamp(meta, peer.identity), sent.peerId());
        if (status.equals(peer.status)) {
            LOG.debug("Status for '{}' hasn't changed", peer.id);
            return null;
        }
        if (status.producing() && status.consuming()) {
            return "Cannot register peer " + peer.id + " as both producer and passive consumer";
        }
        if (status.producing() && !peer.identity.mayProduce()) {
            return refuse(Refusals.Reason.ROLE, "Peer " + peer.describe()
                    + " may not register as producer: it needs the role " + Role.TALK.id());
        }
        if (status.consuming() && !peer.identity.mayConsume()) {
            return refuse(Refusals.Reason.ROLE, "Peer " + peer.describe()
                    + " may not register as consumer: it needs the role " + Role.VIEWER.id());
        }
        if (peer.status.producing() && !status.producing()) {
            stopProducer(peer.id);
        } else if (peer.status.consuming() && !status.consuming()) {
            stopConsumer(peer.id);
        }
        peer.status = status.withPeerId(peer.id);
        // every listener, the sender included: gstwebrtc-api waits for this echo
        broadcastToListeners(new OutgoingMessage.PeerStatusChanged(status.roles(), status.meta(), peer.id));
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
        if (from.id.equals(consumerId) && !from.identity.mayConsume()) {
            return refuse(Refusals.Reason.ROLE, "Peer " + from.describe() + " may not consume: it needs the role "
                    + Role.VIEWER.id());
        }
        if (from.id.equals(producerId) && !from.identity.mayProduce()) {
            return refuse(Refusals.Reason.ROLE, "Peer " + from.describe()
                    + " may not produce for a consumer: it needs the role " + Role.TALK.id());
        }
        if (from.identity.limited() && from.startedSessions >= limits.maxSessionsPerPeer()) {
            return refuse(Refusals.Reason.SESSIONS, "Peer " + from.describe() + " has " + from.startedSessions
                    + " open sessions it started, the most allowed: end one first");
        }
        String sessionId = sessionIds.get();
        sessions.put(sessionId, new Session(sessionId, producerId, consumerId, from.id));
        from.startedSessions++;
        consumerSessions.computeIfAbsent(consumerId, k -> new LinkedHashSet<>()).add(sessionId);
        producerSessions.computeIfAbsent(producerId, k -> new LinkedHashSet<>()).add(sessionId);
        // this order matters: webrtcsrc and gstwebrtc-api need sessionStarted before anything else
        send(consumerId, new OutgoingMessage.SessionStarted(producerId, sessionId));
        send(producerId, new OutgoingMessage.StartSession(consumerId, sessionId, offer));
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
        send(other, new OutgoingMessage.Peer(sessionId, payload));
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
        Session session = sessions.remove(sessionId);
        if (session == null) {
            LOG.debug("Peer {} asked to end unknown session {}", fromId, sessionId);
            return null;
        }
        unindex(consumerSessions, session.consumer(), sessionId);
        unindex(producerSessions, session.producer(), sessionId);
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
            send(otherId, new OutgoingMessage.EndSessionV1_1(sessionId, error));
        } else {
            send(otherId, new OutgoingMessage.EndSession(sessionId));
        }
        return null;
    }

    private void stopProducer(String peerId) {
        stopSessions(producerSessions.remove(peerId), peerId);
    }

    private void stopConsumer(String peerId) {
        stopSessions(consumerSessions.remove(peerId), peerId);
    }

    private void stopSessions(Set<String> sessionIds, String peerId) {
        if (sessionIds == null) {
            return;
        }
        for (String sessionId : new ArrayList<>(sessionIds)) {
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
        stopProducer(peerId);
        stopConsumer(peerId);
        // after every endSession: listeners learn the peer is gone, with its last meta
        broadcastToListeners(new OutgoingMessage.PeerStatusChanged(List.of(), peer.status.meta(), peerId));
    }

    private String refuse(Refusals.Reason reason, String text) {
        refusals.count(reason);
        return text;
    }

    /**
     * The meta as stored and relayed: the client's object (or a new one) with the authenticated user written over
     * whatever the client put under {@link ServerMeta#USER}.
     */
    private static ObjectNode stamp(JsonNode meta, PeerIdentity identity) {
        ObjectNode stamped = meta == null ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) meta).deepCopy();
        stamped.remove(ServerMeta.USER);
        stamped.put(ServerMeta.USER, identity.user());
        return stamped;
    }

    private List<OutgoingMessage.PeerEntry> entries(boolean producers) {
        List<OutgoingMessage.PeerEntry> entries = new ArrayList<>();
        for (Peer peer : peers.values()) {
            if (producers ? peer.status.producing() : peer.status.consuming()) {
                entries.add(new OutgoingMessage.PeerEntry(peer.id, peer.status.meta()));
            }
        }
        return entries;
    }

    private static void unindex(Map<String, Set<String>> index, String peerId, String sessionId) {
        Set<String> ids = index.get(peerId);
        if (ids != null) {
            ids.remove(sessionId);
            if (ids.isEmpty()) {
                index.remove(peerId);
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Sending

    private void send(String peerId, OutgoingMessage message) {
        Peer peer = peers.get(peerId);
        if (peer != null) {
            sendText(peer, codec.encode(message));
        }
    }

    private void broadcastToListeners(OutgoingMessage message) {
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

    private void sendText(Peer peer, String text) {
        if (!peer.connection.send(text)) {
            failedPeers.add(peer.id);
        }
    }

    private void removeFailedPeers() {
        while (!failedPeers.isEmpty()) {
            String peerId = failedPeers.iterator().next();
            failedPeers.remove(peerId);
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
        List<PeerInfo> infos = new ArrayList<>(peers.size());
        for (Peer peer : peers.values()) {
            List<SessionInfo> memberOf = new ArrayList<>();
            addSessions(memberOf, producerSessions.get(peer.id));
            addSessions(memberOf, consumerSessions.get(peer.id));
            List<String> roles = peer.status.roles().stream().map(r -> r.wireName()).toList();
            infos.add(new PeerInfo(peer.id, roles, codec.toJson(peer.status.meta()), peer.version.wireName(),
                    memberOf, peer.connection.remoteAddress()));
        }
        return infos;
    }

    /**
     * @return a snapshot of the sessions, in start order
     */
    public List<SessionInfo> sessionInfos() {
        List<SessionInfo> infos = new ArrayList<>(sessions.size());
        for (Session session : sessions.values()) {
            infos.add(new SessionInfo(session.id(), session.producer(), session.consumer()));
        }
        return infos;
    }

    private void addSessions(List<SessionInfo> into, Set<String> ids) {
        if (ids == null) {
            return;
        }
        for (String id : ids) {
            Session session = sessions.get(id);
            if (session != null && into.stream().noneMatch(s -> s.id().equals(id))) {
                into.add(new SessionInfo(session.id(), session.producer(), session.consumer()));
            }
        }
    }
}
