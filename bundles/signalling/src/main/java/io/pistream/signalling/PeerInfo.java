package io.pistream.signalling;

import java.util.List;

/**
 * One connected peer.
 *
 * @param id the peer id the server gave it (a UUID v4 string)
 * @param roles its registered roles as sent in its last accepted {@code setPeerStatus}
 *     ({@code producer}, {@code consumer}, {@code listener}); empty when it has not registered
 * @param meta its {@code meta} as compact JSON text, or {@code null} when it has none
 * @param protocolVersion {@code v1_0} or {@code v1_1}
 * @param sessions the open sessions it takes part in
 * @param remoteAddress where it connects from ({@code host:port}), or {@code null} if unknown
 */
public record PeerInfo(
        String id,
        List<String> roles,
        String meta,
        String protocolVersion,
        List<SessionInfo> sessions,
        String remoteAddress) {

    public PeerInfo {
        roles = List.copyOf(roles);
        sessions = List.copyOf(sessions);
    }
}
