package io.pistream.signalling.internal.jetty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.pistream.signalling.internal.router.SignallingLimits;

/**
 * The validated settings of the signalling server.
 *
 * @param paths normalised paths that accept WebSocket upgrades ({@code /} for the root only)
 * @param allowedOrigins lower-cased origins without trailing slash, checked on top of the HTTP door's own Origin
 *     check; empty adds no check of its own
 * @param limits what one client may cost
 * @param keepAlive silence before a ping; {@link Duration#ZERO} disables pings
 * @param rootRedirect where a plain GET/HEAD on the root is redirected, or empty to pass it on
 * @param contextSelect the whiteboard context filter
 */
public record SignallingSettings(
        List<String> paths,
        List<String> allowedOrigins,
        SignallingLimits limits,
        Duration keepAlive,
        String rootRedirect,
        String contextSelect) {

    /** Like the reference server. */
    public static final int DEFAULT_KEEPALIVE_SECONDS = 30;
    public static final String DEFAULT_CONTEXT_SELECT = "(osgi.http.whiteboard.context.name=default)";
    public static final String ROOT = "/";

    public SignallingSettings {
        paths = normalisePaths(paths);
        allowedOrigins = normaliseOrigins(allowedOrigins);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (keepAlive.isNegative()) {
            throw new IllegalArgumentException("keepalive must not be negative");
        }
        rootRedirect = rootRedirect == null ? "" : rootRedirect.trim();
        contextSelect = contextSelect == null || contextSelect.isBlank() ? DEFAULT_CONTEXT_SELECT : contextSelect.trim();
    }

    public static SignallingSettings defaults() {
        return new SignallingSettings(List.of(ROOT, "/signalling"), List.of(), SignallingLimits.defaults(),
                Duration.ofSeconds(DEFAULT_KEEPALIVE_SECONDS), "", DEFAULT_CONTEXT_SELECT);
    }

    public static SignallingSettings from(SignallingConfig config) {
        SignallingLimits limits = new SignallingLimits(
                config.max_message_size(),
                config.send_queue_bytes(),
                config.max_peers(),
                config.max_sessions_per_peer(),
                config.max_meta_bytes(),
                config.messages_per_second(),
                config.messages_burst());
        return new SignallingSettings(
                split(config.paths()),
                split(config.allowed_origins()),
                limits,
                Duration.ofSeconds(config.keepalive_seconds()),
                config.root_redirect(),
                config.http_context_select());
    }

    /** @return whether an upgrade on the root path is accepted */
    public boolean rootEnabled() {
        return paths.contains(ROOT);
    }

    /** @return the servlet patterns for the paths other than the root: {@code /signalling/*} */
    public List<String> servletPatterns() {
        List<String> patterns = new ArrayList<>();
        for (String path : paths) {
            if (!ROOT.equals(path)) {
                patterns.add(path + "/*");
            }
        }
        return patterns;
    }

    public SignallingSettings withPaths(List<String> newPaths) {
        return new SignallingSettings(newPaths, allowedOrigins, limits, keepAlive, rootRedirect, contextSelect);
    }

    public SignallingSettings withAllowedOrigins(List<String> origins) {
        return new SignallingSettings(paths, origins, limits, keepAlive, rootRedirect, contextSelect);
    }

    public SignallingSettings withLimits(SignallingLimits newLimits) {
        return new SignallingSettings(paths, allowedOrigins, newLimits, keepAlive, rootRedirect, contextSelect);
    }

    public SignallingSettings withKeepAlive(Duration interval) {
        return new SignallingSettings(paths, allowedOrigins, limits, interval, rootRedirect, contextSelect);
    }

    public SignallingSettings withRootRedirect(String redirect) {
        return new SignallingSettings(paths, allowedOrigins, limits, keepAlive, redirect, contextSelect);
    }

    private static List<String> split(String[] values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                if (value != null) {
                    for (String part : value.split(",")) {
                        out.add(part);
                    }
                }
            }
        }
        return out;
    }

    private static List<String> normalisePaths(List<String> raw) {
        Set<String> out = new LinkedHashSet<>();
        if (raw != null) {
            for (String value : raw) {
                String path = value == null ? "" : value.trim();
                if (path.isEmpty()) {
                    continue;
                }
                if (path.contains("*") || path.contains("?") || path.contains("#")) {
                    throw new IllegalArgumentException("Invalid signalling path \"" + value + "\"");
                }
                if (!path.startsWith("/")) {
                    path = "/" + path;
                }
                while (path.length() > 1 && path.endsWith("/")) {
                    path = path.substring(0, path.length() - 1);
                }
                out.add(path);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("At least one signalling path is needed");
        }
        return List.copyOf(out);
    }

    private static List<String> normaliseOrigins(List<String> raw) {
        Set<String> out = new LinkedHashSet<>();
        if (raw != null) {
            for (String value : raw) {
                String origin = HandshakeGuard.normaliseOrigin(value);
                if (!origin.isEmpty()) {
                    out.add(origin);
                }
            }
        }
        return List.copyOf(out);
    }
}
