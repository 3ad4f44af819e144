package io.pistream.webrtc.internal.signaller;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/** Opens WebSocket connections; behind an interface so that the protocol client can be tested alone. */
public interface WebSocketConnector {

    /** What a connection reports. Calls for one connection never overlap. */
    interface Events {
        /** The connection is open; called before any message. */
        void onOpen(Connection connection);

        /** One complete text message. */
        void onText(String text);

        /** A pong answered one of our pings. */
        default void onPong() {
        }

        /** The connection is gone (closed by either side or failed); called once. */
        void onClosed(String reason);
    }

    /** An open connection. */
    interface Connection {
        /** Queues a text message; messages are sent in order. */
        void send(String text);

        void ping();

        /** Closes normally. */
        void close();

        /** Drops the connection at once. */
        void abort();
    }

    /** Connects; completes exceptionally when the server cannot be reached or refuses the handshake. */
    CompletableFuture<Connection> connect(URI uri, Events events);
}
