package io.pistream.signalling.internal.protocol;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A message the server sends to a client.
 */
public sealed interface OutgoingMessage {

    /** An entry of {@code list} / {@code listConsumers}. */
    record PeerEntry(String id, JsonNode meta) {
    }

    /** {@code {"type":"welcome","peerId":…}} */
    record Welcome(String peerId) implements OutgoingMessage {
    }

    /** {@code {"type":"peerStatusChanged","roles":[…],"meta":…,"peerId":…}} */
    record PeerStatusChanged(List<PeerRole> roles, JsonNode meta, String peerId) implements OutgoingMessage {
    }

    /** {@code {"type":"startSession","peerId":<consumer>,"sessionId":…,"offer":null|…}}, to the producer. */
    record StartSession(String peerId, String sessionId, String offer) implements OutgoingMessage {
    }

    /** {@code {"type":"sessionStarted","peerId":<producer>,"sessionId":…}}, to the consumer. */
    record SessionStarted(String peerId, String sessionId) implements OutgoingMessage {
    }

    /** {@code {"type":"endSession","sessionId":…}} */
    record EndSession(String sessionId) implements OutgoingMessage {
    }

    /** {@code {"type":"endSessionV1_1","sessionId":…,"error":null|…}}, only to peers that selected v1_1. */
    record EndSessionV1_1(String sessionId, String error) implements OutgoingMessage {
    }

    /** {@code {"type":"peer","sessionId":…,"sdp"|"ice":…}} */
    record Peer(String sessionId, PeerPayload payload) implements OutgoingMessage {
    }

    /** {@code {"type":"list","producers":[{"id":…,"meta":…}]}} */
    record ProducerList(List<PeerEntry> producers) implements OutgoingMessage {
    }

    /** {@code {"type":"listConsumers","consumers":[{"id":…,"meta":…}]}} */
    record ConsumerList(List<PeerEntry> consumers) implements OutgoingMessage {
    }

    /** {@code {"type":"error","details":…}} */
    record ErrorMessage(String details) implements OutgoingMessage {
    }
}
