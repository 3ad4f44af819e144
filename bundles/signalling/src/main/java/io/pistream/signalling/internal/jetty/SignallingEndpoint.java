package io.pistream.signalling.internal.jetty;

import java.io.IOException;
import java.time.Duration;

import org.eclipse.jetty.websocket.api.WebSocketPolicy;
import org.eclipse.jetty.websocket.servlet.ServletUpgradeRequest;
import org.eclipse.jetty.websocket.servlet.ServletUpgradeResponse;
import org.eclipse.jetty.websocket.servlet.WebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.internal.router.SignallingRouter;

/**
 * The Jetty 9.4 side of the signalling server: one router, the keep-alive timer and the handshake
 * checks, shared by the servlet ({@code /signalling/*}) and the root filter ({@code /}).
 */
public final class SignallingEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SignallingEndpoint.class);

    /**
     * Jetty's idle timeout is only a safety net: pings reset it (a write is activity), so with
     * keep-alive on it never fires, and a dead client is found, as upstream, by a failing write.
     */
    private static final Duration MIN_IDLE_TIMEOUT = Duration.ofMinutes(5);

    private final SignallingSettings settings;
    private final SignallingRouter router;
    private final KeepAlive keepAlive;
    private final HandshakeGuard guard;

    public SignallingEndpoint(SignallingSettings settings) {
        this.settings = settings;
        this.router = new SignallingRouter(new MessageCodec());
        this.keepAlive = new KeepAlive(settings.keepAlive());
        this.guard = new HandshakeGuard(settings.allowedOrigins(), settings.token());
    }

    public SignallingSettings settings() {
        return settings;
    }

    public SignallingRouter router() {
        return router;
    }

    /** @return a new servlet for the non-root paths */
    public SignallingServlet newServlet() {
        return new SignallingServlet(this);
    }

    /** @return a new filter that takes WebSocket upgrades on the root path */
    public RootUpgradeFilter newRootFilter() {
        return new RootUpgradeFilter(this);
    }

    /** Applies the limits and the socket creator to a Jetty WebSocket factory. */
    void configure(WebSocketServletFactory factory) {
        WebSocketPolicy policy = factory.getPolicy();
        policy.setMaxTextMessageSize(settings.maxMessageSize());
        // binary frames are ignored, but must not be buffered without limit either
        policy.setMaxBinaryMessageSize(settings.maxMessageSize());
        long idle = Math.max(MIN_IDLE_TIMEOUT.toMillis(), 4 * settings.keepAlive().toMillis());
        policy.setIdleTimeout(idle);
        factory.setCreator(this::createSocket);
    }

    private Object createSocket(ServletUpgradeRequest request, ServletUpgradeResponse response) {
        HandshakeGuard.Rejection rejection = guard.check(request.getHeader("Origin"),
                request.getHeader("Authorization"), request.getParameterMap().get("token"));
        if (rejection != null) {
            LOG.info("Refused WebSocket handshake from {} (Origin {}): {}", request.getRemoteAddress(),
                    request.getHeader("Origin"), rejection.reason());
            try {
                if (rejection.status() == 401) {
                    response.setHeader("WWW-Authenticate", "Bearer");
                }
                response.sendError(rejection.status(), rejection.reason());
            } catch (IOException e) {
                LOG.debug("Cannot send the refusal", e);
            }
            return null;
        }
        return new SignallingSocket(router, keepAlive, settings.sendQueueSize());
    }

    /** Stops pings, closes every connection and stops the router. */
    @Override
    public void close() {
        keepAlive.close();
        router.close();
    }
}
