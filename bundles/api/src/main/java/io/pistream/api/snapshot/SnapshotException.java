package io.pistream.api.snapshot;

import io.pistream.api.MediaException;

/** No picture could be taken; {@link #reason()} tells a door which status to answer, the message tells the user why. */
public class SnapshotException extends MediaException {
    private static final long serialVersionUID = 1L;

    /** Why there is no picture. */
    public enum Reason {
        /** No source has this id. */
        UNKNOWN_SOURCE,
        /** The source exists but gives no pictures (an audio source). */
        NOT_VIDEO,
        /** A width or quality outside its range. */
        BAD_REQUEST,
        /** The source cannot run now (device missing, no encoder, a pipeline error). */
        UNAVAILABLE,
        /** No picture arrived within the timeout. */
        TIMEOUT
    }

    private final Reason reason;

    public SnapshotException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public SnapshotException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
