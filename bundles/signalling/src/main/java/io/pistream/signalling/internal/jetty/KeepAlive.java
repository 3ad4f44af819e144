package io.pistream.signalling.internal.jetty;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a WebSocket ping to every client that has been sent nothing for the keep-alive interval, as the
 * reference server does after 30 s of outgoing silence. Pongs are not awaited: a dead client is found
 * when a write fails.
 */
final class KeepAlive implements AutoCloseable {

    private final long intervalNanos;
    private final Set<SignallingSocket> sockets = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> ticks;

    /** @param timer runs the checks; its owner shuts it down */
    KeepAlive(Duration interval, ScheduledExecutorService timer) {
        this.intervalNanos = interval.toNanos();
        if (interval.isZero()) {
            this.ticks = null;
            return;
        }
        // check ten times per interval, at most once a second: a ping goes out at most 10 % late
        long tickMillis = Math.max(10, Math.min(1000, interval.toMillis() / 10));
        this.ticks = timer.scheduleWithFixedDelay(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
    }

    void add(SignallingSocket socket) {
        if (ticks != null) {
            sockets.add(socket);
        }
    }

    void remove(SignallingSocket socket) {
        sockets.remove(socket);
    }

    private void tick() {
        long now = System.nanoTime();
        for (SignallingSocket socket : sockets) {
            socket.pingIfSilent(now, intervalNanos);
        }
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        sockets.clear();
    }
}
