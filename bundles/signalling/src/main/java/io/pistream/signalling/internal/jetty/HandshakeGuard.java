package io.pistream.signalling.internal.jetty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;

/**
 * The checks made on a WebSocket handshake before a peer is created: Origin and token. Both are off
 * by default, as in the reference server, which accepts any handshake.
 *
 * <ul>
 * <li><b>Origin</b>: when origins are configured, a browser must come from one of them (403
 * otherwise). A handshake without an Origin header is not from a browser (webrtcsink, webrtcsrc) and
 * is let through: the Origin check protects browsers from cross-site use, not the server from
 * other programs, which can send any Origin they like. {@code *} allows any origin.</li>
 * <li><b>Token</b>: when a token is configured, the client must send it as the query parameter
 * {@code token} (browsers cannot set headers on a WebSocket) or as {@code Authorization: Bearer}
 * (401 otherwise). Compared in constant time.</li>
 * </ul>
 */
public final class HandshakeGuard {

    /** Why a handshake was refused: the HTTP status and a short text. */
    public record Rejection(int status, String reason) {
    }

    private static final String BEARER = "bearer ";

    private final List<String> allowedOrigins;
    private final byte[] token;

    public HandshakeGuard(List<String> allowedOrigins, String token) {
        this.allowedOrigins = allowedOrigins.stream().map(HandshakeGuard::normaliseOrigin).toList();
        this.token = token == null || token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param origin the Origin header, or {@code null}
     * @param authorization the Authorization header, or {@code null}
     * @param tokenParameters the values of the query parameter {@code token}, or {@code null}
     * @return {@code null} if the handshake may proceed, else why not
     */
    public Rejection check(String origin, String authorization, List<String> tokenParameters) {
        if (!originAllowed(origin)) {
            return new Rejection(403, "Origin not allowed");
        }
        if (token != null && !tokenPresented(authorization, tokenParameters)) {
            return new Rejection(401, "Missing or wrong token");
        }
        return null;
    }

    private boolean originAllowed(String origin) {
        if (allowedOrigins.isEmpty() || origin == null || allowedOrigins.contains("*")) {
            return true;
        }
        return allowedOrigins.contains(normaliseOrigin(origin));
    }

    private boolean tokenPresented(String authorization, List<String> tokenParameters) {
        if (tokenParameters != null) {
            for (String candidate : tokenParameters) {
                if (matches(candidate)) {
                    return true;
                }
            }
        }
        if (authorization != null) {
            String value = authorization.trim();
            if (value.length() > BEARER.length()
                    && value.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
                return matches(value.substring(BEARER.length()).trim());
            }
        }
        return false;
    }

    private boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
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
