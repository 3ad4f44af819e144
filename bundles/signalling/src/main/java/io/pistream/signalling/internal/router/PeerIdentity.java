package io.pistream.signalling.internal.router;

import java.util.Objects;

import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;

/**
 * Who a peer is, as authenticated at its WebSocket handshake; it does not change while the connection lasts.
 *
 * @param caller the authenticated caller ({@code AccessControl.unchecked()} when authentication is off)
 * @param device whether the peer presented the device's own token: the device's WebRTC producer or receiver
 */
public record PeerIdentity(Caller caller, boolean device) {

    public PeerIdentity {
        Objects.requireNonNull(caller, "caller");
    }

    /** The name stamped into the peer's meta. */
    public String user() {
        return caller.name();
    }

    /** May register as producer, or produce for a passive consumer: talk-back is sending media to the device. */
    public boolean mayProduce() {
        return device || caller.may(Role.TALK);
    }

    /** May register as passive consumer or consume a producer. */
    public boolean mayConsume() {
        return device || caller.may(Role.VIEWER);
    }

    /** Whether the limits on peers, message rate and sessions apply: not to the device's own peers. */
    public boolean limited() {
        return !device;
    }
}
