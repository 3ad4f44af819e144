package io.pistream.signalling;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The running signalling server, as seen by tools (shell, REST, console).
 *
 * <p>Every call returns a consistent snapshot taken between two protocol messages.
 */
@ProviderType
public interface SignallingServer {

    /**
     * @return the connected peers, in the order they connected
     */
    List<PeerInfo> peers();

    /**
     * @return the open sessions, in the order they were started
     */
    List<SessionInfo> sessions();
}
