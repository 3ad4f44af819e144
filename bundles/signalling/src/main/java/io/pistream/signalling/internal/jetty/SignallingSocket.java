package io.pistream.signalling.internal.jetty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.websocket.api.RemoteEndpoint;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.WebSocketListener;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pistream.signalling.internal.router.PeerConnection;
import io.pistream.signalling.internal.router.SignallingRouter;

/**
 * One client connection: feeds text frames to the router and writes the router's frames back
 * without blocking.
 *
 * <p>Jetty 9.4 writes asynchronous frames in order through its own flusher queue; this class bounds
 * how many may be pending. When a client lets more than {@code sendQueueSize} frames pile up (it does
 * not read), or a write fails, the connection is dropped at once and the peer is removed as on
 * disconnect. Binary frames are ignored, as in the reference server; Jetty answers pings itself.
 */
final class SignallingSocket implements WebSocketListener, PeerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(SignallingSocket.class);

    private final SignallingRouter router;
    private final KeepAlive keepAlive;
    private final int sendQueueSize;

    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private volatile Session session;
    private volatile RemoteEndpoint remote;
    private volatile String peerId;
    private volatile String remoteAddress;
    private volatile boolean closed;
    private volatile long lastSentNanos;

    private final WriteCallback writeCallback = new WriteCallback() {
        @Override
        public void writeSuccess() {
            pending.decrementAndGet();
        }

        @Override
        public void writeFailed(Throwable cause) {
            pending.decrementAndGet();
            LOG.debug("Write to peer {} failed: {}", peerId, cause.toString());
            abort();
        }
    };

    SignallingSocket(SignallingRouter router, KeepAlive keepAlive, int sendQueueSize) {
        this.router = router;
        this.keepAlive = keepAlive;
        this.sendQueueSize = sendQueueSize;
    }

    // ------------------------------------------------------------------------------------------
    // Jetty events

    @Override
    public void onWebSocketConnect(Session newSession) {
        this.session = newSession;
        this.remote = newSession.getRemote();
        InetSocketAddress address = newSession.getRemoteAddress();
        this.remoteAddress = address == null ? null : address.getHostString() + ":" + address.getPort();
        this.lastSentNanos = System.nanoTime();
        this.peerId = router.connect(this);
        keepAlive.add(this);
    }

    @Override
    public void onWebSocketText(String message) {
        String id = peerId;
        if (id != null && !closed) {
            router.receive(id, message);
        }
    }

    @Override
    public void onWebSocketBinary(byte[] payload, int offset, int len) {
        LOG.debug("Unsupported message type (binary, {} bytes) from peer {}", len, peerId);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        LOG.debug("Peer {} closed: {} {}", peerId, statusCode, reason);
        closed = true;
        gone();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // every error Jetty reports here ends the connection (message too large, bad UTF-8, I/O), and
        // Jetty closes it itself with the right status code (1009, 1007, ...)
        LOG.debug("Peer {} connection error: {}", peerId, cause.toString());
        closed = true;
        gone();
    }

    // ------------------------------------------------------------------------------------------
    // PeerConnection

    @Override
    public boolean send(String text) {
        if (closed) {
            return false;
        }
        if (pending.incrementAndGet() > sendQueueSize) {
            pending.decrementAndGet();
            LOG.warn("Peer {} does not read: {} frames waiting, disconnecting it", peerId, sendQueueSize);
            abort();
            return false;
        }
        lastSentNanos = System.nanoTime();
        try {
            remote.sendString(text, writeCallback);
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            LOG.debug("Cannot write to peer {}: {}", peerId, e.toString());
            abort();
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        keepAlive.remove(this);
        Session s = session;
        if (s != null) {
            s.close(StatusCode.SHUTDOWN, "Server stopping");
        }
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    // ------------------------------------------------------------------------------------------

    /** Called by the keep-alive timer. */
    void pingIfSilent(long nowNanos, long intervalNanos) {
        if (closed || nowNanos - lastSentNanos < intervalNanos) {
            return;
        }
        lastSentNanos = nowNanos;
        try {
            remote.sendPing(ByteBuffer.allocate(0));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot ping peer {}: {}", peerId, e.toString());
            abort();
        }
    }

    /** Drops the connection at once (no close handshake: the client may not be reading). */
    private void abort() {
        if (!closed) {
            closed = true;
            Session s = session;
            if (s != null) {
                try {
                    s.disconnect();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("Disconnecting peer {}: {}", peerId, e.toString());
                }
            }
        }
        gone();
    }

    /** Tells the router once that this peer is gone. */
    private void gone() {
        keepAlive.remove(this);
        String id = peerId;
        if (id != null && disconnected.compareAndSet(false, true)) {
            router.disconnect(id);
        }
    }
}
