package io.pistream.rtsp;

import java.util.List;

/** The state of the RTSP server, registered as a service while the server component is active. */
public interface RtspServerStatus {

    /** Whether the server listens for clients. */
    boolean running();

    /** Why the server does not listen (port in use, bad configuration), or null when it runs. */
    String problem();

    /** The address the server binds to, for example {@code 0.0.0.0}. */
    String address();

    /** The port the server listens on (the bound one when the configuration asked for any port). */
    int port();

    /**
     * Whether players must log in (RTSP Digest, realm {@code pistream}); false only when authentication is
     * switched off, and then anyone who reaches the port can watch.
     */
    default boolean credentialsRequired() {
        return true;
    }

    /** The RTSPS (RTSP over TLS) port, or 0 when RTSPS is off. */
    default int tlsPort() {
        return 0;
    }

    /** Why RTSPS does not listen although it is configured (no device certificate yet, port in use), or null. */
    default String tlsProblem() {
        return null;
    }

    /** Players let in now, RTSP and RTSPS together. */
    default int players() {
        return 0;
    }

    /** The most players at once; more are answered 503 Service Unavailable. 0 when there is no cap. */
    default int maxPlayers() {
        return 0;
    }

    /**
     * Closes the connection of one player (an administrator's action), named by its {@link RtspClient#address()}
     * as {@link #clients()} lists it; its sessions end with it. The player may connect again if it may log in.
     *
     * @return false when no player is connected from this address
     * @since 1.2
     */
    default boolean disconnect(String address) {
        return false;
    }

    /**
     * Encoded media bytes (video and audio as the media hub delivers them, before RTP packetisation) that the
     * server accepted into the media pipelines of one mount since its configuration was last applied. A media
     * shared by several players counts once, however many receive it; a launch mount, which the hub does not
     * feed, counts 0.
     *
     * @param name the mount's {@link RtspMount#name()}
     * @return the byte count, 0 for an unknown mount
     * @since 1.3
     */
    default long mediaBytes(String name) {
        return 0;
    }

    /** Every configured mount, including those waiting for a source and those refused for bad configuration. */
    List<RtspMount> mounts();

    /** The connected clients. */
    List<RtspClient> clients();
}
