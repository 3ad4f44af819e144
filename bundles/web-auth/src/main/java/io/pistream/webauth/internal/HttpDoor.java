package io.pistream.webauth.internal;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Verdict;
import io.pistream.api.security.Verdict.Reason;

/**
 * What the HTTP door decides for one request, free of the servlet API: who the caller is (session cookie, bearer
 * token, {@code ?token=}, or Basic over TLS), whether the request's Origin may act on the device, and whether the
 * path may be served to nobody in particular (the app's static files and the login endpoint).
 */
final class HttpDoor {

    static final String COOKIE = "pistream_session";

    /** The app's files: a stranger may load the login page, nothing that shows media or peers. */
    private static final Set<String> PUBLIC_FILES = Set.of("/", "/index.html", "/app.js", "/stats.js", "/style.css",
            "/login.js", "/favicon.ico");
    private static final String PUBLIC_LIBRARIES = "/lib/";
    static final String SESSION_PATH = "/api/session";

    /** What a CORS preflight from an allowed origin may ask for: what WHIP/WHEP clients and the API send. */
    static final String CORS_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String CORS_HEADERS = "Authorization, Content-Type, If-Match";
    /** Response headers a page of an allowed origin may read (the session's Location and ETag above all). */
    static final String CORS_EXPOSED = "Location, ETag, Link, Accept-Patch, Accept-Post, Retry-After, "
            + "WWW-Authenticate";

    /** The request as the door sees it. */
    record Request(String method, String path, boolean upgrade, boolean secure, String host, String origin,
            String authorization, String tokenParameter, String sessionCookie, String clientAddress) {
    }

    /** Serve (with the caller, or none on a public path), or refuse with a status and a reason. */
    sealed interface Decision permits Serve, Refuse {
    }

    record Serve(io.pistream.api.security.Caller caller) implements Decision {
    }

    record Refuse(int status, String reason, boolean challenge) implements Decision {
    }

    private final AccessControl access;
    private final List<String> extraOrigins;

    /** The door as etc/io.pistream.webauth.cfg configures it; a value that is not an origin is refused. */
    static HttpDoor configured(AccessControl access, WebAuthConfig config) {
        List<String> origins = config.allowedOrigins() == null ? List.of() : List.of(config.allowedOrigins());
        for (String origin : origins) {
            if (normalise(origin) == null) {
                throw new IllegalArgumentException("etc/io.pistream.webauth.cfg: allowedOrigins: '" + origin
                        + "' is not an origin like https://host:port");
            }
        }
        return new HttpDoor(access, origins);
    }

    HttpDoor(AccessControl access, List<String> extraOrigins) {
        this.access = access;
        this.extraOrigins = extraOrigins.stream().map(HttpDoor::normalise).toList();
    }

    Decision decide(Request request) {
        boolean changes = request.upgrade() || !isSafe(request.method());
        if (changes && request.origin() != null && !originAllowed(request.origin(), request.host(), request.secure())) {
            return new Refuse(403, "Origin " + request.origin() + " may not use this device", false);
        }
        if (!access.enforced()) {
            return new Serve(access.unchecked());
        }
        boolean open = !request.upgrade() && isPublic(request.method(), request.path());
        Verdict verdict = authenticate(request);
        if (verdict instanceof Verdict.Allowed allowed) {
            return new Serve(allowed.caller());
        }
        Verdict.Refused refused = (Verdict.Refused) verdict;
        if (open && refused.reason() != Reason.THROTTLED) {
            return new Serve(null);
        }
        if (refused.reason() == Reason.THROTTLED) {
            return new Refuse(429, refused.message(), false);
        }
        return new Refuse(401, refused.reason() == Reason.MISSING
                ? "Log in, or send a token (Authorization: Bearer)" : refused.message(), true);
    }

    /**
     * A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method): browsers send it without
     * credentials before a cross-origin request that carries a bearer token or a body such as
     * {@code application/sdp}. Served (with no caller: the filter answers it, no servlet sees it) for the origins
     * that may act on the device; refused for the others, so the browser never sends the request.
     */
    Decision preflight(String origin, String host, boolean secure) {
        if (!originAllowed(origin, host, secure)) {
            return new Refuse(403, "Origin " + origin + " may not use this device", false);
        }
        return new Serve(null);
    }

    static boolean isPreflight(String method, String origin, String requestedMethod) {
        return "OPTIONS".equals(method) && origin != null && requestedMethod != null;
    }

    private Verdict authenticate(Request request) {
        String authorization = request.authorization();
        if (authorization != null && !authorization.isBlank()) {
            String[] scheme = authorization.trim().split("\\s+", 2);
            if (scheme.length == 2 && scheme[0].equalsIgnoreCase("Bearer")) {
                return access.checkToken(scheme[1].trim(), request.clientAddress());
            }
            if (scheme.length == 2 && scheme[0].equalsIgnoreCase("Basic")) {
                if (!request.secure()) {
                    return new Verdict.Refused(Reason.INVALID, "Basic authentication is accepted over HTTPS only");
                }
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(scheme[1].trim()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    return new Verdict.Refused(Reason.INVALID, "Malformed Basic credentials");
                }
                int colon = decoded.indexOf(':');
                if (colon < 0) {
                    return new Verdict.Refused(Reason.INVALID, "Malformed Basic credentials");
                }
                return access.checkPassword(decoded.substring(0, colon), decoded.substring(colon + 1),
                        request.clientAddress());
            }
            return new Verdict.Refused(Reason.INVALID, "Unsupported authorization scheme");
        }
        if (request.tokenParameter() != null) {
            return access.checkToken(request.tokenParameter(), request.clientAddress());
        }
        if (request.sessionCookie() != null) {
            return access.checkToken(request.sessionCookie(), request.clientAddress());
        }
        return access.checkToken(null, request.clientAddress());
    }

    static boolean isPublic(String method, String path) {
        if (SESSION_PATH.equals(path)) {
            return true;
        }
        if (!isSafe(method) || path == null) {
            return false;
        }
        return PUBLIC_FILES.contains(path) || (path.startsWith(PUBLIC_LIBRARIES) && !path.contains(".."));
    }

    private static boolean isSafe(String method) {
        return "GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method);
    }

    /** Same origin as the address the browser used (the Host header), or one the administrator listed. */
    boolean originAllowed(String origin, String host, boolean secure) {
        String normalised = normalise(origin);
        if (normalised == null) {
            return false;
        }
        if (host != null && normalised.equals(normalise((secure ? "https://" : "http://") + host))) {
            return true;
        }
        return extraOrigins.contains(normalised);
    }

    /** scheme://host:port in lower case with the default port spelled out, or null for anything else. */
    static String normalise(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (uri.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))
                    || (uri.getPath() != null && !uri.getPath().isEmpty() && !"/".equals(uri.getPath()))) {
                return null;
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (Exception malformed) {
            return null;
        }
    }
}
