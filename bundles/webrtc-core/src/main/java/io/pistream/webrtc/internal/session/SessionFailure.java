package io.pistream.webrtc.internal.session;

/** Ends a session with a reason meant for the log (no stack trace). */
public final class SessionFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SessionFailure(String reason) {
        super(reason, null, false, false);
    }
}
