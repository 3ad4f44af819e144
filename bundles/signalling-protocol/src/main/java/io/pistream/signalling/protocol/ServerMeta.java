package io.pistream.signalling.protocol;

/**
 * The {@code meta} keys that pistream's signalling server writes itself into every meta it relays, overwriting
 * whatever a client sent under them: a peer can read them as the server's word, not the other peer's.
 */
public final class ServerMeta {

    /** The user (or token label) the server authenticated at the peer's WebSocket handshake. */
    public static final String USER = "pistream-user";

    private ServerMeta() {
    }
}
