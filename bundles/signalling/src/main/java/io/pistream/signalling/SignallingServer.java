package io.pistream.signalling;

import java.util.List;
import java.util.Map;

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

    /**
     * What the server refused since it started, by reason ({@code UNAUTHENTICATED}, {@code FORBIDDEN},
     * {@code TOO_MANY_PEERS}, {@code RATE}, {@code FLOOD}, {@code SEND_QUEUE}, {@code ROLE}, {@code META},
     * {@code SESSIONS}); every reason is present, with 0 when nothing was refused for it.
     */
    default Map<String, Long> refusals() {
        return Map.of();
    }
}
