package io.pistream.rtsp.internal;

/** The RTSP server cannot start; the message says why in words meant for the administrator. */
public final class RtspServerException extends Exception {
    private static final long serialVersionUID = 1L;

    public RtspServerException(String message) {
        super(message);
    }

    public RtspServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
