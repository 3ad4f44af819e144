package io.pistream.signalling.internal.router;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pistream.signalling.PeerInfo;
import io.pistream.signalling.SessionInfo;
import io.pistream.signalling.protocol.IncomingMessage;
import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.protocol.MessageParseException;

/**
 * Runs a {@link SessionRouter} on one thread of its own, fed by a bounded inbox, like the reference
 * server's single handler task behind its global channel of 1000 messages, and also bounded in bytes: a thousand
 * maximal messages would be 256 MiB, more than the device's heap.
 *
 * <p>Transport threads call {@link #connect}, {@link #receive} and {@link #disconnect}. Parsing happens
 * on the calling thread; unparseable input is logged and dropped there. When the inbox is full the
 * caller waits (back-pressure on that socket), never the router. The router itself never blocks:
 * {@link PeerConnection#send} must not block, and events raised on the router thread itself (a
 * connection closing while a frame is sent) are queued locally instead of in the inbox.
 */
public final class SignallingRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SignallingRouter.class);

    /** The reference server's global input channel holds 1000 messages. */
    public static final int DEFAULT_INBOX_CAPACITY = 1000;
    /**
     * Characters of client messages waiting in the inbox (their parsed trees take a few times that): 4 Mi. The
     * router handles thousands of messages a second, so only a burst of large ones ever waits for room.
     */
    public static final int DEFAULT_INBOX_CHARS = 4 * 1024 * 1024;

    private static final long PARSE_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int LOGGED_TEXT_LENGTH = 200;

    private final MessageCodec codec;
    private final SessionRouter state;
    private final BlockingQueue<Runnable> inbox;
    /** One permit per character of the client messages in the inbox. */
    private final Semaphore inboxChars;
    private final int inboxCharsCapacity;
    /** Events raised on the router thread itself; only touched by that thread. */
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    private final Thread thread;
    private final Runnable stop = () -> { };
    private volatile boolean stopped;

    private final AtomicLong unparseable = new AtomicLong();
    private final AtomicLong failedEvents = new AtomicLong();
    private final AtomicLong nextParseWarning = new AtomicLong(System.nanoTime());

    public SignallingRouter(MessageCodec codec, SignallingLimits limits, Refusals refusals) {
        this(codec, new SessionRouter(codec, limits, refusals), DEFAULT_INBOX_CAPACITY, DEFAULT_INBOX_CHARS);
    }

    /**
     * @param inboxCapacity events that may wait for the router thread
     * @param inboxChars characters of client messages that may wait; at least the largest message
     */
    public SignallingRouter(MessageCodec codec, SessionRouter state, int inboxCapacity, int inboxChars) {
        this.codec = codec;
        this.state = state;
        this.inbox = new ArrayBlockingQueue<>(inboxCapacity);
        // fair: a connection waiting for room is not overtaken by a flood of others
        this.inboxChars = new Semaphore(inboxChars, true);
        this.inboxCharsCapacity = inboxChars;
        this.thread = new Thread(this::run, "pistream-signalling-router");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * A client connected. Its {@code welcome} is queued before anything it sends is handled.
     *
     * @return the peer id given to it
     */
    public String connect(PeerConnection connection, PeerIdentity identity) {
        String peerId = UUID.randomUUID().toString();
        if (stopped) {
            connection.close();
            return peerId;
        }
        submit(() -> state.connect(peerId, connection, identity));
        return peerId;
    }

    /**
     * A text frame from a client: parsed here, handled in order on the router thread, or dropped
     * without reply if it does not parse. Waits while the inbox holds too many characters already.
     */
    public void receive(String peerId, String text) {
        IncomingMessage message;
        try {
            message = codec.parse(text);
        } catch (MessageParseException e) {
            logUnparseable(peerId, text, e);
            return;
        }
        int chars = reserveInbox(text.length());
        if (chars < 0) {
            return;
        }
        submit(() -> {
            inboxChars.release(chars);
            state.handle(peerId, message);
        });
    }

    /**
     * Waits for room in the inbox (never on the router thread itself, which would wait for itself).
     *
     * @return the characters reserved, to release once handled; -1 when the router stopped meanwhile
     */
    private int reserveInbox(int length) {
        if (Thread.currentThread() == thread) {
            return 0;
        }
        int chars = Math.min(length, inboxCharsCapacity);
        try {
            while (!inboxChars.tryAcquire(chars, 100, TimeUnit.MILLISECONDS)) {
                if (stopped || !thread.isAlive()) {
                    return -1;
                }
            }
            return chars;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A client went away. Safe to call more than once. */
    public void disconnect(String peerId) {
        submit(() -> state.disconnect(peerId));
    }

    /**
     * Runs a read-only function on the router thread, between two events.
     */
    public <T> T query(Function<SessionRouter, T> function, Duration timeout) {
        if (Thread.currentThread() == thread) {
            return function.apply(state);
        }
        if (stopped) {
            throw new IllegalStateException("The signalling router is stopped");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        submit(() -> {
            try {
                result.complete(function.apply(state));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The signalling router did not answer within " + timeout, e);
        }
    }

    public List<PeerInfo> peers() {
        return query(SessionRouter::peerInfos, Duration.ofSeconds(5));
    }

    public List<SessionInfo> sessions() {
        return query(SessionRouter::sessionInfos, Duration.ofSeconds(5));
    }

    /** @return how many client frames were dropped because they did not parse */
    public long unparseableCount() {
        return unparseable.get();
    }

    /** @return how many events threw (a bug: the router goes on with the next one) */
    public long failedEventCount() {
        return failedEvents.get();
    }

    /** @return whether the router thread is alive */
    public boolean running() {
        return thread.isAlive();
    }

    /** Closes every connection and stops the router thread. */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        enqueue(state::closeAll);
        enqueue(stop);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void submit(Runnable task) {
        if (Thread.currentThread() == thread) {
            local.add(task);
        } else if (!stopped) {
            enqueue(task);
        }
    }

    private void enqueue(Runnable task) {
        try {
            while (!inbox.offer(task, 100, TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!inbox.offer(task)) {
                LOG.warn("Interrupted while the signalling inbox was full: an event was lost");
            }
        }
    }

    private void run() {
        while (true) {
            Runnable task;
            try {
                task = inbox.take();
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
                continue;
            }
            if (task == stop) {
                return;
            }
            runSafely(task);
            Runnable raised;
            while ((raised = local.poll()) != null) {
                runSafely(raised);
            }
        }
    }

    private void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            failedEvents.incrementAndGet();
            LOG.error("Signalling router event failed", e);
        }
    }

    private void logUnparseable(String peerId, String text, MessageParseException e) {
        unparseable.incrementAndGet();
        String excerpt = text.length() > LOGGED_TEXT_LENGTH ? text.substring(0, LOGGED_TEXT_LENGTH) + "…" : text;
        long now = System.nanoTime();
        long next = nextParseWarning.get();
        if (now - next >= 0 && nextParseWarning.compareAndSet(next, now + PARSE_WARNING_INTERVAL_NANOS)) {
            LOG.warn("Failed to parse incoming message from {}: {} ({}); more such failures are logged at DEBUG"
                    + " for 60 s", peerId, e.getMessage(), excerpt);
        } else {
            LOG.debug("Failed to parse incoming message from {}: {} ({})", peerId, e.getMessage(), excerpt);
        }
    }
}
