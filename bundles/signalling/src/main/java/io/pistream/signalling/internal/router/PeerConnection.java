package io.pistream.signalling.internal.router;

/**
 * The router's view of one client connection. Implementations must never block.
 */
public interface PeerConnection {

    /**
     * Queues one text frame for the client.
     *
     * @param text the frame
     * @return {@code false} if the frame could not be queued: the connection is closed or its bounded
     *     send queue overflowed. The connection is then closed (or closing) and the router removes the
     *     peer as if it had disconnected.
     */
    boolean send(String text);

    /**
     * Closes the connection, e.g. when the server stops. Must not block.
     */
    void close();

    /**
     * @return where the client connects from ({@code host:port}), or {@code null}
     */
    default String remoteAddress() {
        return null;
    }
}
