package io.pistream.signalling.protocol;

/**
 * A client message that does not parse: bad JSON, an unknown {@code type}, a missing or mistyped
 * field. The server drops such a message without replying.
 */
public final class MessageParseException extends Exception {

    private static final long serialVersionUID = 1L;

    public MessageParseException(String message) {
        super(message, null, false, false);
    }
}
