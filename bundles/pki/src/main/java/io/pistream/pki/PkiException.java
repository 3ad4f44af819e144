package io.pistream.pki;

/** A CA or server certificate could not be created, read or written; the message says which file and why. */
public class PkiException extends Exception {

    private static final long serialVersionUID = 1L;

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
