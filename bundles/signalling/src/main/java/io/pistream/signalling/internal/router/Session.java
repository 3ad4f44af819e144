package io.pistream.signalling.internal.router;

/** @param initiator the peer that sent startSession, whose count of started sessions this one is in */
record Session(String id, String producer, String consumer, String initiator) {

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
