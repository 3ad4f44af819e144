package io.pistream.signalling.internal.jetty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The validated settings of the signalling server.
 *
 * @param paths normalised paths that accept WebSocket upgrades ({@code /} for the root only)
 * @param allowedOrigins lower-cased origins without trailing slash; empty allows any
 * @param token the required token, or empty for none
 * @param maxMessageSize largest text message in bytes
 * @param sendQueueSize frames that may wait to be written to one client
 * @param keepAlive silence before a ping; {@link Duration#ZERO} disables pings
 * @param rootRedirect where a plain GET/HEAD on the root is redirected, or empty to pass it on
 * @param contextSelect the whiteboard context filter
 */
public record SignallingSettings(
        List<String> paths,
        List<String> allowedOrigins,
        String token,
        int maxMessageSize,
        int sendQueueSize,
        Duration keepAlive,
        String rootRedirect,
        String contextSelect) {

    /**
     * 256 KiB. The largest legitimate messages are SDPs, a few KiB to a few tens of KiB even when an
     * offer lists every codec with RTX/RED/FEC, so 256 KiB leaves a wide margin; and 500 clients each
     * buffering a maximal message stay around 128 MiB, which a Pi survives. (The reference server keeps
     * tungstenite's 64 MiB; Jetty's own default, 64 KiB, is close to a large SDP.)
     */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;
    /** Like the reference server's per-socket channel. */
    public static final int DEFAULT_SEND_QUEUE_SIZE = 1000;
    /** Like the reference server. */
    public static final int DEFAULT_KEEPALIVE_SECONDS = 30;
    public static final String DEFAULT_CONTEXT_SELECT = "(osgi.http.whiteboard.context.name=default)";
    public static final String ROOT = "/";

    private static final int MIN_MESSAGE_SIZE = 1024;

    public SignallingSettings {
        paths = normalisePaths(paths);
        allowedOrigins = normaliseOrigins(allowedOrigins);
        token = token == null ? "" : token.trim();
        if (maxMessageSize < MIN_MESSAGE_SIZE) {
            throw new IllegalArgumentException("max.message.size must be at least " + MIN_MESSAGE_SIZE);
        }
        if (sendQueueSize < 1) {
            throw new IllegalArgumentException("send.queue.size must be at least 1");
        }
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (keepAlive.isNegative()) {
            throw new IllegalArgumentException("keepalive must not be negative");
        }
        rootRedirect = rootRedirect == null ? "" : rootRedirect.trim();
        contextSelect = contextSelect == null || contextSelect.isBlank() ? DEFAULT_CONTEXT_SELECT : contextSelect.trim();
    }

    public static SignallingSettings defaults() {
        return new SignallingSettings(List.of(ROOT, "/signalling"), List.of(), "", DEFAULT_MAX_MESSAGE_SIZE,
                DEFAULT_SEND_QUEUE_SIZE, Duration.ofSeconds(DEFAULT_KEEPALIVE_SECONDS), "", DEFAULT_CONTEXT_SELECT);
    }

    public static SignallingSettings from(SignallingConfig config) {
        return new SignallingSettings(
                split(config.paths()),
                split(config.allowed_origins()),
                config.token(),
                config.max_message_size(),
                config.send_queue_size(),
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

    public boolean tokenRequired() {
        return !token.isEmpty();
    }

    public SignallingSettings withPaths(List<String> newPaths) {
        return new SignallingSettings(newPaths, allowedOrigins, token, maxMessageSize, sendQueueSize, keepAlive,
                rootRedirect, contextSelect);
    }

    public SignallingSettings withAllowedOrigins(List<String> origins) {
        return new SignallingSettings(paths, origins, token, maxMessageSize, sendQueueSize, keepAlive, rootRedirect,
                contextSelect);
    }

    public SignallingSettings withToken(String newToken) {
        return new SignallingSettings(paths, allowedOrigins, newToken, maxMessageSize, sendQueueSize, keepAlive,
                rootRedirect, contextSelect);
    }

    public SignallingSettings withMaxMessageSize(int size) {
        return new SignallingSettings(paths, allowedOrigins, token, size, sendQueueSize, keepAlive, rootRedirect,
                contextSelect);
    }

    public SignallingSettings withSendQueueSize(int size) {
        return new SignallingSettings(paths, allowedOrigins, token, maxMessageSize, size, keepAlive, rootRedirect,
                contextSelect);
    }

    public SignallingSettings withKeepAlive(Duration interval) {
        return new SignallingSettings(paths, allowedOrigins, token, maxMessageSize, sendQueueSize, interval,
                rootRedirect, contextSelect);
    }

    public SignallingSettings withRootRedirect(String redirect) {
        return new SignallingSettings(paths, allowedOrigins, token, maxMessageSize, sendQueueSize, keepAlive, redirect,
                contextSelect);
    }

    @Override
    public String toString() {
        return "SignallingSettings[paths=" + paths + ", allowedOrigins=" + allowedOrigins + ", token="
                + (token.isEmpty() ? "off" : "on") + ", maxMessageSize=" + maxMessageSize + ", sendQueueSize="
                + sendQueueSize + ", keepAlive=" + keepAlive + ", rootRedirect=" + rootRedirect + ", contextSelect="
                + contextSelect + "]";
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
