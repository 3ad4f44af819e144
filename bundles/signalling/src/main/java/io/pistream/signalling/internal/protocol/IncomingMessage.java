package io.pistream.signalling.internal.protocol;

/**
 * A message a client sends to the server. The internal {@code newPeer} message of the reference
 * server is not part of it: the router creates peers itself, and a client sending
 * {@code {"type":"newPeer"}} is treated like any unknown type.
 */
public sealed interface IncomingMessage {

    /** {@code setPeerStatus}: register roles and meta. */
    record SetPeerStatus(PeerStatus status) implements IncomingMessage {
    }

    /** {@code startSession}: start a session with another peer, optionally with a consumer offer. */
    record StartSession(String peerId, String offer) implements IncomingMessage {
    }

    /** {@code peer}: an SDP or ICE candidate for the other member of a session. */
    record Peer(String sessionId, PeerPayload payload) implements IncomingMessage {
    }

    /** {@code endSession}. */
    record EndSession(String sessionId) implements IncomingMessage {
    }

    /** {@code endSessionV1_1}: protocol 1.1 end of session, with an optional error text. */
    record EndSessionV1_1(String sessionId, String error) implements IncomingMessage {
    }

    /** {@code list}: ask for the producers. */
    record ListProducers() implements IncomingMessage {
    }

    /** {@code listConsumers}: ask for the passive consumers. */
    record ListConsumers() implements IncomingMessage {
    }

    /** {@code setProtocolVersion}: must be the first message of a peer. */
    record SetProtocolVersion(ProtocolVersion version) implements IncomingMessage {
    }
}
