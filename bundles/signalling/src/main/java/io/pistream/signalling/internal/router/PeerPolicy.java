package io.pistream.signalling.internal.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pistream.api.security.Role;
import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.protocol.PeerStatus;
import io.pistream.signalling.protocol.ServerMeta;

/**
 * What the server asks of a peer beyond the reference server's rules: the role its identity needs to produce or
 * consume, a meta that is a bounded JSON object (or null) so that it can carry the user's name, and a bound on the
 * open sessions it started. Each check answers the error to send, or {@code null} to go on, and counts a refusal.
 */
final class PeerPolicy {

    private final MessageCodec codec;
    private final SignallingLimits limits;
    private final Refusals refusals;

    PeerPolicy(MessageCodec codec, SignallingLimits limits, Refusals refusals) {
        this.codec = codec;
        this.limits = limits;
        this.refusals = refusals;
    }

    /** The meta a peer sent with setPeerStatus: a JSON object or null, of at most the bytes allowed. */
    String checkMeta(Peer peer, JsonNode meta) {
        if (meta != null && !meta.isObject()) {
            return refuse(Refusals.Reason.META, "The meta of peer " + peer.id
                    + " must be a JSON object or null, to carry the field \"" + ServerMeta.USER + "\" the server adds");
        }
        int metaBytes = meta == null ? 0 : Utf8.length(codec.toJson(meta));
        if (metaBytes > limits.maxMetaBytes()) {
            return refuse(Refusals.Reason.META, "The meta of peer " + peer.id + " has " + metaBytes
                    + " bytes, more than the " + limits.maxMetaBytes() + " allowed");
        }
        return null;
    }

    /** Registering as producer needs the talk role, as consumer the viewer role. */
    String checkRegistration(Peer peer, PeerStatus status) {
        if (status.producing() && !peer.identity.mayProduce()) {
            return refuse(Refusals.Reason.ROLE, "Peer " + peer.describe()
                    + " may not register as producer: it needs the role " + Role.TALK.id());
        }
        if (status.consuming() && !peer.identity.mayConsume()) {
            return refuse(Refusals.Reason.ROLE, "Peer " + peer.describe()
                    + " may not register as consumer: it needs the role " + Role.VIEWER.id());
        }
        return null;
    }

    /** The peer that sends startSession needs the role of its side, and may start only so many open sessions. */
    String checkStart(Peer from, String producerId, String consumerId) {
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
        return null;
    }

    /**
     * The meta as stored and relayed: the client's object (or a new one) with the authenticated user written over
     * whatever the client put under {@link ServerMeta#USER}.
     */
    static ObjectNode stamp(JsonNode meta, PeerIdentity identity) {
        ObjectNode stamped = meta == null ? JsonNodeFactory.instance.objectNode() : ((ObjectNode) meta).deepCopy();
        stamped.remove(ServerMeta.USER);
        stamped.put(ServerMeta.USER, identity.user());
        return stamped;
    }

    private String refuse(Refusals.Reason reason, String text) {
        refusals.count(reason);
        return text;
    }
}
