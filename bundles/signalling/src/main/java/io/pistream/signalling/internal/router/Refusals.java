package io.pistream.signalling.internal.router;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counts of what the server refused, by reason: for tests, and to tell a flood from a bug in the logs. */
public final class Refusals {

    public enum Reason {
        /** Handshake without credentials the HTTP door accepted: 401. */
        UNAUTHENTICATED,
        /** Handshake of a caller with neither viewer nor talk, or from an Origin not allowed: 403. */
        FORBIDDEN,
        /** Handshake or connection over the peer cap: 503 or close 1013. */
        TOO_MANY_PEERS,
        /** A message dropped for the message rate. */
        RATE,
        /** A client disconnected for flooding (many times the message rate). */
        FLOOD,
        /** A client disconnected because it does not read (send queue over its bytes). */
        SEND_QUEUE,
        /** setPeerStatus or startSession refused for a missing role. */
        ROLE,
        /** setPeerStatus refused for its meta (size or shape). */
        META,
        /** startSession refused: the peer has as many open sessions as it may start. */
        SESSIONS
    }

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

    public Refusals() {
        for (Reason reason : Reason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    public void count(Reason reason) {
        counts.get(reason).increment();
    }

    public long get(Reason reason) {
        return counts.get(reason).sum();
    }

    public long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** The counts that are not zero, in the order of {@link Reason}. */
    public Map<Reason, Long> snapshot() {
        Map<Reason, Long> snapshot = new EnumMap<>(Reason.class);
        counts.forEach((reason, count) -> {
            long value = count.sum();
            if (value > 0) {
                snapshot.put(reason, value);
            }
        });
        return snapshot;
    }

    @Override
    public String toString() {
        return snapshot().toString();
    }
}
