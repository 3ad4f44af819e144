package io.pistream.webrtc.internal.session;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches webrtcbin's connection and ICE states for a session: tells it when the link is up the first time
 * ({@code connected}), and when it is lost ({@code lost}, with the reason the session ends with): no connection within
 * the connect timeout, a failure, a close, or a disconnection that outlasts the grace period. On the session's control
 * executor only.
 */
final class ConnectionWatch {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatch.class);

    private final String sessionId;
    private final String peerId;
    private final SessionSettings settings;
    private final ScheduledExecutorService control;
    private final Runnable connected;
    private final Consumer<String> lost;
    private ScheduledFuture<?> connectTimer;
    private ScheduledFuture<?> disconnectTimer;
    private boolean everConnected;

    ConnectionWatch(String sessionId, String peerId, SessionSettings settings, ScheduledExecutorService control,
            Runnable connected, Consumer<String> lost) {
        this.sessionId = sessionId;
        this.peerId = peerId;
        this.settings = settings;
        this.control = control;
        this.connected = connected;
        this.lost = lost;
    }

    /** @param negotiating whether the session still waits for the description, which the reason then names */
    void startConnectTimeout(BooleanSupplier negotiating) {
        connectTimer = control.schedule(() -> {
            if (!everConnected) {
                lost.accept(negotiating.getAsBoolean()
                        ? "no answer from the peer within " + settings.connectTimeoutMillis() / 1000 + " s"
                        : "ICE/DTLS did not connect within " + settings.connectTimeoutMillis() / 1000 + " s");
            }
        }, settings.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    void connectionState(int connectionState) {
        LOG.debug("Session {}: connection {}", sessionId, WebRtcNative.connectionStateName(connectionState));
        switch (connectionState) {
            case WebRtcNative.PC_CONNECTED -> {
                if (disconnectTimer != null) {
                    disconnectTimer.cancel(false);
                    disconnectTimer = null;
                }
                if (!everConnected) {
                    everConnected = true;
                    connected.run();
                }
            }
            case WebRtcNative.PC_FAILED -> lost.accept("ICE/DTLS connection failed");
            case WebRtcNative.PC_DISCONNECTED -> disconnected();
            case WebRtcNative.PC_CLOSED -> lost.accept("connection closed");
            default -> {
            }
        }
    }

    void iceState(int iceState) {
        LOG.debug("Session {}: ICE {}", sessionId, WebRtcNative.iceStateName(iceState));
        if (iceState == WebRtcNative.ICE_FAILED) {
            lost.accept("ICE failed: no candidate pair works");
        } else if (iceState == WebRtcNative.ICE_DISCONNECTED) {
            disconnected();
        }
    }

    /** Stops both timers; the session ended. */
    void cancel() {
        for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {connectTimer, disconnectTimer}) {
            if (timer != null) {
                timer.cancel(false);
            }
        }
    }

    private void disconnected() {
        if (disconnectTimer == null && everConnected) {
            LOG.info("Session {}: peer {} disconnected; waiting {} ms for it to come back", sessionId, peerId,
                    settings.disconnectGraceMillis());
            disconnectTimer = control.schedule(() -> lost.accept("the peer vanished (ICE disconnected for "
                    + settings.disconnectGraceMillis() / 1000 + " s)"), settings.disconnectGraceMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }
}
