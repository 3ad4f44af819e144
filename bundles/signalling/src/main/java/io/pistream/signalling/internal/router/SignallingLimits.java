package io.pistream.signalling.internal.router;

/**
 * What one client may cost the device. Every bound is in bytes or counts, so that the worst case is known in
 * advance: {@code maxPeers × (sendQueueBytes + maxMessageSize)} plus the router's inbox (a few MiB) is the most
 * heap the signalling server can hold for its clients.
 *
 * <p>The device's own peers (its WebRTC producer and receiver, recognised by the device token) are exempt from the
 * peer cap, the message rate and the sessions a peer may start, so that no client can crowd them out; they keep the
 * byte bounds.
 *
 * @param maxMessageSize largest text message a client may send, in bytes (Jetty closes with 1009 beyond)
 * @param sendQueueBytes bytes that may wait to be written to one client before it is disconnected
 * @param maxPeers clients connected at once
 * @param maxSessionsPerPeer open sessions one peer may have started
 * @param maxMetaBytes largest {@code meta} of a {@code setPeerStatus}, as compact JSON, before the server's stamp
 * @param messagesPerSecond messages one client may send per second on average
 * @param messageBurst messages one client may send at once before the rate applies (the size of its bucket)
 */
public record SignallingLimits(
        int maxMessageSize,
        int sendQueueBytes,
        int maxPeers,
        int maxSessionsPerPeer,
        int maxMetaBytes,
        int messagesPerSecond,
        int messageBurst) {

    /**
     * 256 KiB. The largest legitimate messages are SDPs, a few KiB to a few tens of KiB even when an offer lists
     * every codec with RTX/RED/FEC, so 256 KiB leaves a wide margin. (The reference server keeps tungstenite's
     * 64 MiB; Jetty's own default, 64 KiB, is close to a large SDP.)
     */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 256 * 1024;
    /** 1 MiB: four maximal messages, or a list of every producer with the largest meta, several times over. */
    public static final int DEFAULT_SEND_QUEUE_BYTES = 1024 * 1024;
    /**
     * With the defaults above, at most 80 MiB held for clients in the very worst case, which leaves the rest of the
     * 160 MiB heap to the platform (its live heap is about 40 MiB).
     */
    public static final int DEFAULT_MAX_PEERS = 64;
    /** A browser opens one or two; the device's receiver at most eight, and it is exempt. */
    public static final int DEFAULT_MAX_SESSIONS_PER_PEER = 8;
    /** A name and a few tags; browsers and webrtcsink send well under 1 KiB. */
    public static final int DEFAULT_MAX_META_BYTES = 4096;
    /** A session start is about a dozen messages (SDP, ICE candidates); a peer at rest sends none. */
    public static final int DEFAULT_MESSAGES_PER_SECOND = 50;
    /** One second's worth at once: a browser starting two sessions while it gathers candidates. */
    public static final int DEFAULT_MESSAGE_BURST = 50;

    static final int MIN_MESSAGE_SIZE = 1024;
    static final int MIN_META_BYTES = 64;

    public SignallingLimits {
        if (maxMessageSize < MIN_MESSAGE_SIZE) {
            throw new IllegalArgumentException("max.message.size must be at least " + MIN_MESSAGE_SIZE);
        }
        if (sendQueueBytes < maxMessageSize) {
            throw new IllegalArgumentException("send.queue.bytes must be at least max.message.size (" + maxMessageSize
                    + "): a client must be able to receive the largest message it may be relayed");
        }
        if (maxPeers < 1) {
            throw new IllegalArgumentException("max.peers must be at least 1");
        }
        if (maxSessionsPerPeer < 1) {
            throw new IllegalArgumentException("max.sessions.per.peer must be at least 1");
        }
        if (maxMetaBytes < MIN_META_BYTES || maxMetaBytes > maxMessageSize) {
            throw new IllegalArgumentException("max.meta.bytes must be between " + MIN_META_BYTES
                    + " and max.message.size (" + maxMessageSize + ")");
        }
        if (messagesPerSecond < 1) {
            throw new IllegalArgumentException("messages.per.second must be at least 1");
        }
        if (messageBurst < 1) {
            throw new IllegalArgumentException("messages.burst must be at least 1");
        }
    }

    public static SignallingLimits defaults() {
        return new SignallingLimits(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_SEND_QUEUE_BYTES, DEFAULT_MAX_PEERS,
                DEFAULT_MAX_SESSIONS_PER_PEER, DEFAULT_MAX_META_BYTES, DEFAULT_MESSAGES_PER_SECOND,
                DEFAULT_MESSAGE_BURST);
    }

    /** The most heap the clients' queues and partly read messages can hold, in bytes. */
    public long worstCaseClientBytes() {
        return (long) maxPeers * ((long) sendQueueBytes + maxMessageSize);
    }

    public SignallingLimits withMaxMessageSize(int size) {
        return new SignallingLimits(size, sendQueueBytes, maxPeers, maxSessionsPerPeer, maxMetaBytes,
                messagesPerSecond, messageBurst);
    }

    public SignallingLimits withSendQueueBytes(int bytes) {
        return new SignallingLimits(maxMessageSize, bytes, maxPeers, maxSessionsPerPeer, maxMetaBytes,
                messagesPerSecond, messageBurst);
    }

    public SignallingLimits withMaxPeers(int peers) {
        return new SignallingLimits(maxMessageSize, sendQueueBytes, peers, maxSessionsPerPeer, maxMetaBytes,
                messagesPerSecond, messageBurst);
    }

    public SignallingLimits withMaxSessionsPerPeer(int sessions) {
        return new SignallingLimits(maxMessageSize, sendQueueBytes, maxPeers, sessions, maxMetaBytes,
                messagesPerSecond, messageBurst);
    }

    public SignallingLimits withMaxMetaBytes(int bytes) {
        return new SignallingLimits(maxMessageSize, sendQueueBytes, maxPeers, maxSessionsPerPeer, bytes,
                messagesPerSecond, messageBurst);
    }

    public SignallingLimits withMessageRate(int perSecond, int burst) {
        return new SignallingLimits(maxMessageSize, sendQueueBytes, maxPeers, maxSessionsPerPeer, maxMetaBytes,
                perSecond, burst);
    }
}
