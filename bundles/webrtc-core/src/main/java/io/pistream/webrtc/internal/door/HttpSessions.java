package io.pistream.webrtc.internal.door;

import java.util.List;

/**
 * A producer or receiver as a door other than signalling sees it (WHEP, WHIP): the door brings an offer that came
 * over HTTP, the peer runs the session in the same book as its signalling sessions (same caps, same status), and
 * the door gets the answer back. Registered as a service by the producer and receiver components, with the
 * property {@link #ROLE} ({@code producer} or {@code receiver}).
 */
public interface HttpSessions {

    /** The service property that tells producer from receiver. */
    String ROLE = "pistream.webrtc.role";

    /**
     * Starts a session for {@code offer}.
     *
     * @param source what the offer asks for: a video source for a producer, a free name for a receiver
     * @param peer   who is at the other end, for status and logs ({@code whep:alice@192.0.2.7})
     * @throws DoorRefusal when the source is unknown, the sessions are at their cap, or the peer is not running
     */
    DoorSession open(String source, String peer, String offer);

    /** The STUN and TURN servers the device's sessions use, for the client to use too; none by default. */
    default List<IceServer> iceServers() {
        return List.of();
    }
}
