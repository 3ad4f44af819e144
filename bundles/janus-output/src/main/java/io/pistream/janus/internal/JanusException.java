package io.pistream.janus.internal;

/** A request to Janus that failed: no answer ({@link #reachable} false) or an error answer with Janus's code. */
final class JanusException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Janus core: the session does not exist (expired, or Janus restarted). */
    static final int NO_SUCH_SESSION = 458;
    /** Janus core: the handle does not exist. */
    static final int NO_SUCH_HANDLE = 459;
    /** Streaming plugin: a mountpoint with this id exists already. */
    static final int STREAM_EXISTS = 456;
    /** Streaming plugin: no such mountpoint. */
    static final int NO_SUCH_STREAM = 455;

    private final int code;
    private final boolean reachable;

    JanusException(int code, String message, boolean reachable) {
        super(message);
        this.code = code;
        this.reachable = reachable;
    }

    static JanusException unreachable(String message) {
        return new JanusException(0, message, false);
    }

    int code() {
        return code;
    }

    boolean reachable() {
        return reachable;
    }

    /** The session or handle is gone: start over with a new one. */
    boolean sessionLost() {
        return code == NO_SUCH_SESSION || code == NO_SUCH_HANDLE;
    }
}
