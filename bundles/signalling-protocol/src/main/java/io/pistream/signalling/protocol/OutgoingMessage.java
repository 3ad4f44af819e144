package io.pistream.signalling.protocol;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message the server sends to a client. Fields are written in the reference server's order, and its
 * {@code Option}s as {@code null} (but {@code peerStatusChanged.peerId}, which it leaves out when unset).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = OutgoingMessage.Welcome.class, name = "welcome"),
    @JsonSubTypes.Type(value = OutgoingMessage.PeerStatusChanged.class, name = "peerStatusChanged"),
    @JsonSubTypes.Type(value = OutgoingMessage.StartSession.class, name = "startSession"),
    @JsonSubTypes.Type(value = OutgoingMessage.SessionStarted.class, name = "sessionStarted"),
    @JsonSubTypes.Type(value = OutgoingMessage.EndSession.class, name = "endSession"),
    @JsonSubTypes.Type(value = OutgoingMessage.EndSessionV1_1.class, name = "endSessionV1_1"),
    @JsonSubTypes.Type(value = OutgoingMessage.Peer.class, name = "peer"),
    @JsonSubTypes.Type(value = OutgoingMessage.ProducerList.class, name = "list"),
    @JsonSubTypes.Type(value = OutgoingMessage.ConsumerList.class, name = "listConsumers"),
    @JsonSubTypes.Type(value = OutgoingMessage.ErrorMessage.class, name = "error")})
public sealed interface OutgoingMessage {

    /** An entry of {@code list} / {@code listConsumers}; read also from the {@code peerId} of older servers. */
    @JsonPropertyOrder({"id", "meta"})
    record PeerEntry(@JsonAlias("peerId") String id, JsonNode meta) {

        public PeerEntry {
            meta = Json.orNull(meta);
        }
    }

    /** {@code {"type":"welcome","peerId":…}} */
    record Welcome(String peerId) implements OutgoingMessage {
    }

    /** {@code {"type":"peerStatusChanged","roles":[…],"meta":…,"peerId":…}} */
    @JsonPropertyOrder({"roles", "meta", "peerId"})
    record PeerStatusChanged(List<PeerRole> roles, JsonNode meta,
            @JsonInclude(JsonInclude.Include.NON_NULL) String peerId) implements OutgoingMessage {

        public PeerStatusChanged {
            roles = List.copyOf(Objects.requireNonNull(roles, "missing field `roles`"));
            meta = Json.orNull(meta);
        }
    }

    /** {@code {"type":"startSession","peerId":<consumer>,"sessionId":…,"offer":null|…}}, to the producer. */
    @JsonPropertyOrder({"peerId", "sessionId", "offer"})
    record StartSession(String peerId, String sessionId, String offer) implements OutgoingMessage {
    }

    /** {@code {"type":"sessionStarted","peerId":<producer>,"sessionId":…}}, to the consumer. */
    @JsonPropertyOrder({"peerId", "sessionId"})
    record SessionStarted(String peerId, String sessionId) implements OutgoingMessage {
    }

    /** {@code {"type":"endSession","sessionId":…}} */
    record EndSession(String sessionId) implements OutgoingMessage {
    }

    /** {@code {"type":"endSessionV1_1","sessionId":…,"error":null|…}}, only to peers that selected v1_1. */
    @JsonPropertyOrder({"sessionId", "error"})
    record EndSessionV1_1(String sessionId, String error) implements OutgoingMessage {
    }

    /** {@code {"type":"peer","sessionId":…,"sdp"|"ice":…}} */
    @JsonPropertyOrder({"sessionId", "sdp", "ice"})
    record Peer(String sessionId, @JsonIgnore PeerPayload payload) implements OutgoingMessage {

        public Peer {
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

    /** {@code {"type":"list","producers":[{"id":…,"meta":…}]}} */
    record ProducerList(List<PeerEntry> producers) implements OutgoingMessage {

        public ProducerList {
            producers = List.copyOf(Objects.requireNonNull(producers, "missing field `producers`"));
        }
    }

    /** {@code {"type":"listConsumers","consumers":[{"id":…,"meta":…}]}} */
    record ConsumerList(List<PeerEntry> consumers) implements OutgoingMessage {

        public ConsumerList {
            consumers = List.copyOf(Objects.requireNonNull(consumers, "missing field `consumers`"));
        }
    }

    /** {@code {"type":"error","details":…}} */
    record ErrorMessage(String details) implements OutgoingMessage {
    }
}
