package io.pistream.signalling.protocol;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message a client sends to the server. The internal {@code newPeer} message of the reference
 * server is not part of it: the router creates peers itself, and a client sending
 * {@code {"type":"newPeer"}} is treated like any unknown type.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = IncomingMessage.SetPeerStatus.class, name = "setPeerStatus"),
    @JsonSubTypes.Type(value = IncomingMessage.StartSession.class, name = "startSession"),
    @JsonSubTypes.Type(value = IncomingMessage.Peer.class, name = "peer"),
    @JsonSubTypes.Type(value = IncomingMessage.EndSession.class, name = "endSession"),
    @JsonSubTypes.Type(value = IncomingMessage.EndSessionV1_1.class, name = "endSessionV1_1"),
    @JsonSubTypes.Type(value = IncomingMessage.ListProducers.class, name = "list"),
    @JsonSubTypes.Type(value = IncomingMessage.ListConsumers.class, name = "listConsumers"),
    @JsonSubTypes.Type(value = IncomingMessage.SetProtocolVersion.class, name = "setProtocolVersion")})
public sealed interface IncomingMessage {

    /** {@code setPeerStatus}: register roles and meta; {@code peerId} is left out when null. */
    @JsonPropertyOrder({"roles", "meta", "peerId"})
    record SetPeerStatus(List<PeerRole> roles, JsonNode meta,
            @JsonInclude(JsonInclude.Include.NON_NULL) String peerId) implements IncomingMessage {

        @JsonCreator
        public SetPeerStatus {
            roles = List.copyOf(Objects.requireNonNull(roles, "missing field `roles`"));
            meta = Json.orNull(meta);
        }

        public SetPeerStatus(PeerStatus status) {
            this(status.roles(), status.meta(), status.peerId());
        }

        @JsonIgnore
        public PeerStatus status() {
            return new PeerStatus(roles, meta, peerId);
        }
    }

    /** {@code startSession}: start a session with another peer, optionally with a consumer offer. */
    @JsonPropertyOrder({"peerId", "offer"})
    record StartSession(String peerId, @JsonInclude(JsonInclude.Include.NON_NULL) String offer)
            implements IncomingMessage {

        public StartSession {
            Objects.requireNonNull(peerId, "missing field `peerId`");
        }
    }

    /** {@code peer}: an SDP or ICE candidate for the other member of a session. */
    @JsonPropertyOrder({"sessionId", "sdp", "ice"})
    record Peer(String sessionId, @JsonIgnore PeerPayload payload) implements IncomingMessage {

        public Peer {
            Objects.requireNonNull(sessionId, "missing field `sessionId`");
            Objects.requireNonNull(payload, "payload");
        }

        @JsonCreator
        static Peer fromWire(@JsonProperty("sessionId") String sessionId, @JsonProperty("sdp") PeerPayload.Sdp sdp,
                @JsonProperty("ice") PeerPayload.Ice ice) {
            return new Peer(sessionId, PeerPayload.either(sdp, ice));
        }

        @JsonProperty("sdp")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public PeerPayload.Sdp sdp() {
            return payload instanceof PeerPayload.Sdp sdp ? sdp : null;
        }

        @JsonProperty("ice")
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public PeerPayload.Ice ice() {
            return payload instanceof PeerPayload.Ice ice ? ice : null;
        }
    }

    /** {@code endSession}. */
    record EndSession(String sessionId) implements IncomingMessage {

        public EndSession {
            Objects.requireNonNull(sessionId, "missing field `sessionId`");
        }
    }

    /** {@code endSessionV1_1}: protocol 1.1 end of session, with an optional error text. */
    @JsonPropertyOrder({"sessionId", "error"})
    record EndSessionV1_1(String sessionId, String error) implements IncomingMessage {

        public EndSessionV1_1 {
            Objects.requireNonNull(sessionId, "missing field `sessionId`");
        }
    }

    /** {@code list}: ask for the producers. */
    record ListProducers() implements IncomingMessage {
    }

    /** {@code listConsumers}: ask for the passive consumers. */
    record ListConsumers() implements IncomingMessage {
    }

    /** {@code setProtocolVersion}: must be the first message of a peer. */
    record SetProtocolVersion(ProtocolVersion version) implements IncomingMessage {

        public SetProtocolVersion {
            Objects.requireNonNull(version, "missing field `version`");
        }
    }
}
