package io.pistream.signalling;

/**
 * One open session between a producer and a consumer.
 *
 * @param id the session id (a UUID v4 string)
 * @param producerId the peer that produces media in this session
 * @param consumerId the peer that consumes it
 */
public record SessionInfo(String id, String producerId, String consumerId) {
}
