package io.pistream.webrtc.internal.session;

import java.util.List;

/**
 * Network and timing settings shared by the sessions of a producer or receiver.
 *
 * @param localIps               addresses libnice gathers host candidates on; empty: every interface it finds
 * @param stunServer             {@code stun://host:port}, or empty
 * @param turnServers            {@code turn(s)://user:password@host:port} URIs
 * @param connectTimeoutMillis   a session that is not connected this long after it started ends
 * @param requestTimeoutMillis   how long webrtcbin may take to answer an offer/answer/description request
 * @param disconnectGraceMillis  how long a session may stay ICE-disconnected before it ends
 */
public record SessionSettings(List<String> localIps, String stunServer, List<String> turnServers,
        long connectTimeoutMillis, long requestTimeoutMillis, long disconnectGraceMillis) {

    public SessionSettings {
        localIps = List.copyOf(localIps);
        turnServers = List.copyOf(turnServers);
        stunServer = stunServer == null ? "" : stunServer;
    }

    /** No STUN or TURN server: a session's only candidates are the host's own addresses. */
    public boolean hostCandidatesOnly() {
        return stunServer.isEmpty() && turnServers.isEmpty();
    }

    /** Loopback only: what the tests use. */
    public static SessionSettings loopback(long connectTimeoutMillis) {
        return new SessionSettings(List.of("127.0.0.1"), "", List.of(), connectTimeoutMillis, 10_000, 10_000);
    }
}
