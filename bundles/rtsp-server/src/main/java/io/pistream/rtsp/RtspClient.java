package io.pistream.rtsp;

import java.time.Instant;

/**
 * A connected RTSP client.
 *
 * @param address     the client's address and port, for example {@code 192.168.1.7:50212}
 * @param path        the mount it plays, or null before its first PLAY
 * @param transport   {@code UDP}, {@code UDP-multicast}, {@code TCP} (interleaved) or {@code HTTP}, or null before
 *                    its first PLAY
 * @param connectedAt when the connection was accepted
 * @param user        the user it logged in as, or null before it did (or when authentication is off)
 * @param secure      whether it connected over RTSPS (TLS)
 */
public record RtspClient(String address, String path, String transport, Instant connectedAt, String user,
        boolean secure) {

    /** A client not known to have logged in, over plain RTSP. */
    public RtspClient(String address, String path, String transport, Instant connectedAt) {
        this(address, path, transport, connectedAt, null, false);
    }
}
