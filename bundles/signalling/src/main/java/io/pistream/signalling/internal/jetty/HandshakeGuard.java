package io.pistream.signalling.internal.jetty;

import java.util.List;
import java.util.Locale;

/**
 * The Origin check of the signalling server's own configuration ({@code allowed.origins}), made on top of the HTTP
 * door's check of WebSocket upgrades (the device's own names by default). Off when no origin is configured.
 *
 * <p>When origins are configured, a browser must come from one of them (403 otherwise). A handshake without an
 * Origin header is not from a browser (webrtcsink, webrtcsrc) and is let through: the Origin check protects
 * browsers from cross-site use, not the server from other programs, which can send any Origin they like.
 * {@code *} allows any origin.
 */
public final class HandshakeGuard {

    /** Why a handshake was refused: the HTTP status and a short text. */
    public record Rejection(int status, String reason) {
    }

    private final List<String> allowedOrigins;

    public HandshakeGuard(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins.stream().map(HandshakeGuard::normaliseOrigin).toList();
    }

    /**
     * @param origin the Origin header, or {@code null}
     * @return {@code null} if the handshake may proceed, else why not
     */
    public Rejection check(String origin) {
        if (allowedOrigins.isEmpty() || origin == null || allowedOrigins.contains("*")
                || allowedOrigins.contains(normaliseOrigin(origin))) {
            return null;
        }
        return new Rejection(403, "Origin not allowed");
    }

    /** {@code HTTPS://Host:8443/} → {@code https://host:8443}. */
    static String normaliseOrigin(String origin) {
        if (origin == null) {
            return "";
        }
        String value = origin.trim().toLowerCase(Locale.ROOT);
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        return value;
    }
}
