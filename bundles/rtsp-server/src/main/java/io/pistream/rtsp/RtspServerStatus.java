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

    /** Every configured mount, including those waiting for a source and those refused for bad configuration. */
    List<RtspMount> mounts();

    /** The connected clients. */
    List<RtspClient> clients();
}
