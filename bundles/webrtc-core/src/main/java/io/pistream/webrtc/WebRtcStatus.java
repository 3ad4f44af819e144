package io.pistream.webrtc;

import java.util.List;

/**
 * A WebRTC peer of this device (the producer or the receiver), registered as a service so that the shell and
 * the REST API can show it.
 */
public interface WebRtcStatus {

    /** {@code producer} or {@code receiver}. */
    String role();

    /** The name this peer registers with ({@code meta.name}). */
    String name();

    /** The connection to the signalling server. */
    SignallingStatus signalling();

    /** Running sessions, then the most recently ended ones (at most a few), newest first. */
    List<SessionStatus> sessions();

    /** Ends one of this peer's sessions (an administrator's action); returns whether it was running. */
    boolean endSession(String sessionId);
}
