package io.pistream.signalling.internal.jetty;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.WebSocketPolicy;
import org.eclipse.jetty.websocket.servlet.ServletUpgradeRequest;
import org.eclipse.jetty.websocket.servlet.ServletUpgradeResponse;
import org.eclipse.jetty.websocket.servlet.WebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.signalling.internal.router.PeerIdentity;
import io.pistream.signalling.internal.router.Refusals;
import io.pistream.signalling.internal.router.SignallingLimits;
import io.pistream.signalling.internal.router.SignallingRouter;
import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.protocol.OutgoingMessage;
import io.pistream.webauth.WebDoor;

/**
 * The Jetty 9.4 side of the signalling server: one router, the keep-alive timer, the handshake checks and the
 * peer cap, shared by the servlet ({@code /signalling/*}) and the root filter ({@code /}).
 *
 * <p>The handshake is where a peer's identity is settled, before any protocol message: the HTTP door in front of
 * every servlet leaves the {@link Caller} it authenticated in the request attribute
 * {@link AccessControl#CALLER_ATTRIBUTE}, and an upgrade without one is refused with 401 (fail closed), unless
 * authentication is switched off ({@link AccessControl#enforced()} false), when the caller is
 * {@link AccessControl#unchecked()}. A peer that presented the device's own token is the device (its WebRTC
 * producer and receiver), exempt from the peer cap and the message rate.
 */
public final class SignallingEndpoint implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SignallingEndpoint.class);

    /**
     * Jetty's idle timeout is only a safety net: pings reset it (a write is activity), so with
     * keep-alive on it never fires, and a dead client is found, as upstream, by a failing write.
     */
    private static final Duration MIN_IDLE_TIMEOUT = Duration.ofMinutes(5);
    private static final String BEARER = "bearer ";

    private final SignallingSettings settings;
    private final AccessControl accessControl;
    private final WebDoor webDoor;
    private final Refusals refusals = new Refusals();
    private final SignallingRouter router;
    private final ScheduledExecutorService timer;
    private final KeepAlive keepAlive;
    private final HandshakeGuard guard;
    /** Connected peers that count against {@code max.peers} (all but the device's). */
    private final AtomicInteger limitedPeers = new AtomicInteger();
    private final String rateNotice;

    public SignallingEndpoint(SignallingSettings settings, AccessControl accessControl, WebDoor webDoor) {
        this.settings = settings;
        this.accessControl = accessControl;
        this.webDoor = webDoor;
        MessageCodec codec = new MessageCodec();
        this.router = new SignallingRouter(codec, settings.limits(), refusals);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pistream-signalling-timer");
            t.setDaemon(true);
            return t;
        });
        this.keepAlive = new KeepAlive(settings.keepAlive(), timer);
        this.guard = new HandshakeGuard(settings.allowedOrigins());
        SignallingLimits limits = settings.limits();
        this.rateNotice = codec.encode(new OutgoingMessage.ErrorMessage("Too many messages: at most "
                + limits.messagesPerSecond() + " a second (" + limits.messageBurst()
                + " at once); the messages over that are dropped"));
    }

    public SignallingSettings settings() {
        return settings;
    }

    public SignallingRouter router() {
        return router;
    }

    /** What was refused so far, by reason. */
    public Refusals refusals() {
        return refusals;
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
        int maxMessageSize = settings.limits().maxMessageSize();
        policy.setMaxTextMessageSize(maxMessageSize);
        // binary frames are ignored, but must not be buffered without limit either
        policy.setMaxBinaryMessageSize(maxMessageSize);
        long idle = Math.max(MIN_IDLE_TIMEOUT.toMillis(), 4 * settings.keepAlive().toMillis());
        policy.setIdleTimeout(idle);
        factory.setCreator(this::createSocket);
    }

    private Object createSocket(ServletUpgradeRequest request, ServletUpgradeResponse response) {
        String origin = request.getHeader("Origin");
        HandshakeGuard.Rejection rejection = guard.check(origin);
        if (rejection != null) {
            return refuse(request, response, Refusals.Reason.FORBIDDEN, 403, rejection.reason());
        }
        Caller caller = caller(request);
        if (caller == null) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"" + AccessControl.REALM + "\"");
            return refuse(request, response, Refusals.Reason.UNAUTHENTICATED, 401,
                    "Authentication required: sign in, or present ?token= or Authorization: Bearer");
        }
        if (!caller.may(Role.VIEWER) && !caller.may(Role.TALK)) {
            return refuse(request, response, Refusals.Reason.FORBIDDEN, 403,
                    "User '" + caller.name() + "' needs the role viewer or talk for signalling");
        }
        PeerIdentity identity = new PeerIdentity(caller, presentsDeviceToken(request));
        if (identity.limited() && limitedPeers.get() >= settings.limits().maxPeers()) {
            response.setHeader("Retry-After", "10");
            return refuse(request, response, Refusals.Reason.TOO_MANY_PEERS, 503, tooManyPeers());
        }
        return new SignallingSocket(this, identity);
    }

    /** The caller the HTTP door admits (with authentication off, the unchecked caller), or null. */
    private Caller caller(ServletUpgradeRequest request) {
        return webDoor.callerOf(request.getHttpServletRequest()).orElse(null);
    }

    /** Whether the request carries the device's own token, as the device's WebRTC clients send it. */
    private boolean presentsDeviceToken(ServletUpgradeRequest request) {
        String deviceToken;
        try {
            deviceToken = accessControl.deviceToken();
        } catch (RuntimeException e) {
            LOG.debug("No device token: {}", e.toString());
            return false;
        }
        if (deviceToken == null || deviceToken.isEmpty()) {
            return false;
        }
        byte[] expected = deviceToken.getBytes(StandardCharsets.UTF_8);
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.length() > BEARER.length()
                && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            String presented = authorization.substring(BEARER.length()).trim();
            if (MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        List<String> tokens = request.getParameterMap().get("token");
        if (tokens != null) {
            for (String presented : tokens) {
                if (presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
                    return true;
                }
            }
        }
        return false;
    }

    private Object refuse(ServletUpgradeRequest request, ServletUpgradeResponse response, Refusals.Reason reason,
            int status, String text) {
        refusals.count(reason);
        LOG.info("Refused WebSocket handshake from {} (Origin {}): {} {}", request.getRemoteAddress(),
                request.getHeader("Origin"), status, text);
        try {
            response.sendError(status, text);
        } catch (IOException e) {
            LOG.debug("Cannot send the refusal", e);
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // for the sockets

    KeepAlive keepAlive() {
        return keepAlive;
    }

    SignallingLimits limits() {
        return settings.limits();
    }

    /** The {@code error} a client gets when its messages start being dropped for the rate. */
    String rateNotice() {
        return rateNotice;
    }

    /** Takes a place under the peer cap; false when there is none left (then nothing was taken). */
    boolean admitPeer() {
        int max = settings.limits().maxPeers();
        while (true) {
            int current = limitedPeers.get();
            if (current >= max) {
                return false;
            }
            if (limitedPeers.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    void releasePeer() {
        limitedPeers.decrementAndGet();
    }

    String tooManyPeers() {
        return "Too many peers: " + settings.limits().maxPeers() + " connected, the most allowed; try again later";
    }

    /** Runs {@code task} later on the server's timer (nothing happens once the server is closed). */
    void later(Runnable task, long delayMillis) {
        if (!timer.isShutdown()) {
            try {
                timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                LOG.debug("Not scheduled: {}", e.toString());
            }
        }
    }

    /** Stops pings, closes every connection and stops the router. */
    @Override
    public void close() {
        keepAlive.close();
        router.close();
        timer.shutdownNow();
    }
}
