package io.pistream.webrtc.internal.door;

/** Why a producer or receiver did not start a session for a door. */
public final class DoorRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, so that the door can answer with the right status. */
    public enum Kind {
        /** No such source. */
        UNKNOWN_SOURCE,
        /** At the session cap. */
        FULL,
        /** The producer or receiver is refused by its configuration or stopping. */
        UNAVAILABLE
    }

    private final Kind kind;

    public DoorRefusal(Kind kind, String reason) {
        super(reason);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
