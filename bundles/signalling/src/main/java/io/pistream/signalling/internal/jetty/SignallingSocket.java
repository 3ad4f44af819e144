package io.pistream.signalling.internal.jetty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.websocket.api.RemoteEndpoint;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.WebSocketListener;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pistream.signalling.internal.router.MessageRateLimit;
import io.pistream.signalling.internal.router.PeerConnection;
import io.pistream.signalling.internal.router.PeerIdentity;
import io.pistream.signalling.internal.router.Refusals;
import io.pistream.signalling.internal.router.SignallingRouter;
import io.pistream.signalling.internal.router.Utf8;

/**
 * One client connection: feeds text frames to the router and writes the router's frames back without blocking.
 *
 * <p>Jetty 9.4 writes asynchronous frames in order through its own flusher queue; this class bounds the bytes that
 * may be pending there. When a client lets more than {@code send.queue.bytes} pile up (it does not read), or a
 * write fails, the connection is dropped at once and the peer is removed as on disconnect: the router never waits
 * for a client, so the others are not delayed. Frames over the message rate are dropped before they are parsed.
 * Binary frames are ignored, as in the reference server; Jetty answers pings itself.
 */
final class SignallingSocket implements WebSocketListener, PeerConnection {

    private static final Logger LOG = LoggerFactory.getLogger(SignallingSocket.class);

    /** What Jetty holds per queued frame besides the payload (frame, queue entry, callback), roughly. */
    static final int FRAME_OVERHEAD_BYTES = 128;
    /** How long a client refused with a close frame has to answer it before the connection is dropped. */
    private static final long CLOSE_GRACE_MILLIS = 2000;

    private final SignallingEndpoint endpoint;
    private final SignallingRouter router;
    private final PeerIdentity identity;
    private final Refusals refusals;
    private final int sendQueueBytes;
    private final MessageRateLimit rate;

    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean disconnected = new AtomicBoolean();
    private volatile Session session;
    private volatile RemoteEndpoint remote;
    private volatile String peerId;
    private volatile String remoteAddress;
    private volatile boolean closed;
    private volatile boolean admitted;
    private volatile long lastSentNanos;

    SignallingSocket(SignallingEndpoint endpoint, PeerIdentity identity) {
        this.endpoint = endpoint;
        this.router = endpoint.router();
        this.identity = identity;
        this.refusals = endpoint.refusals();
        this.sendQueueBytes = endpoint.limits().sendQueueBytes();
        this.rate = new MessageRateLimit(endpoint.limits().messagesPerSecond(), endpoint.limits().messageBurst(),
                System.nanoTime());
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
        if (identity.limited()) {
            // the handshake checked the cap too, but others may have been admitted meanwhile
            if (!endpoint.admitPeer()) {
                refusals.count(Refusals.Reason.TOO_MANY_PEERS);
                LOG.info("Refused peer of user '{}' from {}: {}", identity.user(), remoteAddress,
                        endpoint.tooManyPeers());
                closeFor(StatusCode.TRY_AGAIN_LATER, endpoint.tooManyPeers());
                return;
            }
            admitted = true;
        }
        this.peerId = router.connect(this, identity);
        endpoint.keepAlive().add(this);
    }

    @Override
    public void onWebSocketText(String message) {
        String id = peerId;
        if (id != null && !closed && withinRate()) {
            router.receive(id, message);
        }
    }

    @Override
    public void onWebSocketBinary(byte[] payload, int offset, int len) {
        if (!closed && withinRate()) {
            LOG.debug("Unsupported message type (binary, {} bytes) from peer {}", len, peerId);
        }
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

    /** Applies the message rate (not to the device's own peers); false if this message is dropped. */
    private boolean withinRate() {
        if (!identity.limited()) {
            return true;
        }
        switch (rate.offer(System.nanoTime())) {
            case ACCEPT:
                return true;
            case DROP_AND_TELL:
                refusals.count(Refusals.Reason.RATE);
                LOG.info("Peer {} of user '{}' ({}) sends more than {} messages a second: dropping the excess",
                        peerId, identity.user(), remoteAddress, endpoint.limits().messagesPerSecond());
                send(endpoint.rateNotice());
                return false;
            case DROP:
                refusals.count(Refusals.Reason.RATE);
                return false;
            default:
                refusals.count(Refusals.Reason.FLOOD);
                LOG.warn("Peer {} of user '{}' ({}) floods: more than {} times {} messages a second; disconnecting it",
                        peerId, identity.user(), remoteAddress, MessageRateLimit.FLOOD_FACTOR,
                        endpoint.limits().messagesPerSecond());
                closeFor(StatusCode.POLICY_VIOLATION, "Message rate exceeded: at most "
                        + endpoint.limits().messagesPerSecond() + " messages a second");
                return false;
        }
    }

    // ------------------------------------------------------------------------------------------
    // PeerConnection

    @Override
    public boolean send(String text) {
        if (closed) {
            return false;
        }
        long bytes = Utf8.length(text) + FRAME_OVERHEAD_BYTES;
        long queued = pendingBytes.addAndGet(bytes);
        if (queued > sendQueueBytes) {
            pendingBytes.addAndGet(-bytes);
            refusals.count(Refusals.Reason.SEND_QUEUE);
            LOG.warn("Peer {} of user '{}' ({}) does not read: {} bytes waiting, {} more would pass send.queue.bytes"
                    + " ({}); disconnecting it", peerId, identity.user(), remoteAddress, queued - bytes, bytes,
                    sendQueueBytes);
            abort();
            return false;
        }
        lastSentNanos = System.nanoTime();
        try {
            remote.sendString(text, new WriteCallback() {
                @Override
                public void writeSuccess() {
                    pendingBytes.addAndGet(-bytes);
                }

                @Override
                public void writeFailed(Throwable cause) {
                    pendingBytes.addAndGet(-bytes);
                    LOG.debug("Write to peer {} failed: {}", peerId, cause.toString());
                    abort();
                }
            });
        } catch (RuntimeException e) {
            pendingBytes.addAndGet(-bytes);
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
        endpoint.keepAlive().remove(this);
        Session s = session;
        if (s != null) {
            s.close(StatusCode.SHUTDOWN, "Server stopping");
        }
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    /** Bytes written to Jetty and not yet to the network (tests). */
    long pendingBytes() {
        return pendingBytes.get();
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

    /**
     * Ends the connection with a close code and reason the client can read, and forgets the peer at once; the
     * connection is dropped if the client has not answered the close frame shortly after.
     */
    private void closeFor(int statusCode, String reason) {
        if (!closed) {
            closed = true;
            Session s = session;
            if (s != null) {
                s.close(statusCode, reason);
                endpoint.later(() -> {
                    if (s.isOpen()) {
                        disconnect(s);
                    }
                }, CLOSE_GRACE_MILLIS);
            }
        }
        gone();
    }

    /** Drops the connection at once (no close handshake: the client may not be reading). */
    private void abort() {
        if (!closed) {
            closed = true;
            Session s = session;
            if (s != null) {
                disconnect(s);
            }
        }
        gone();
    }

    private void disconnect(Session s) {
        try {
            s.disconnect();
        } catch (IOException | RuntimeException e) {
            LOG.debug("Disconnecting peer {}: {}", peerId, e.toString());
        }
    }

    /** Tells the router once that this peer is gone, and frees its place under the peer cap. */
    private void gone() {
        endpoint.keepAlive().remove(this);
        if (disconnected.compareAndSet(false, true)) {
            if (admitted) {
                endpoint.releasePeer();
            }
            String id = peerId;
            if (id != null) {
                router.disconnect(id);
            }
        }
    }
}
