package io.pistream.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed logins per client address across every door. More than {@code allowed} failures within
 * {@code window} refuse that address for {@code penalty}, right credentials or not. Bounded: it remembers at most
 * {@code maxAddresses}, forgetting the oldest first, so a flood from many addresses cannot grow it.
 */
final class LoginThrottle {

    private final int allowed;
    private final Duration window;
    private final Duration penalty;
    private final int maxAddresses;
    private final Clock clock;
    private final Map<String, Record> records = new LinkedHashMap<>(16, 0.75f, true);

    private static final class Record {
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant refusedUntil = Instant.MIN;
    }

    LoginThrottle(int allowed, Duration window, Duration penalty, int maxAddresses, Clock clock) {
        this.allowed = allowed;
        this.window = window;
        this.penalty = penalty;
        this.maxAddresses = maxAddresses;
        this.clock = clock;
    }

    /** Records a failure; true if this failure made the address throttled. */
    synchronized boolean failure(String address) {
        Instant now = clock.instant();
        Record record = records.computeIfAbsent(key(address), k -> new Record());
        record.failures.addLast(now);
        while (!record.failures.isEmpty() && record.failures.peekFirst().isBefore(now.minus(window))) {
            record.failures.removeFirst();
        }
        while (record.failures.size() > allowed + 1) {
            record.failures.removeFirst();
        }
        boolean newlyThrottled = false;
        if (record.failures.size() > allowed && !now.isBefore(record.refusedUntil)) {
            record.refusedUntil = now.plus(penalty);
            newlyThrottled = true;
        }
        trim(now);
        return newlyThrottled;
    }

    synchronized boolean throttled(String address) {
        Record record = records.get(key(address));
        return record != null && clock.instant().isBefore(record.refusedUntil);
    }

    synchronized int size() {
        return records.size();
    }

    private void trim(Instant now) {
        if (records.size() <= maxAddresses) {
            return;
        }
        // first forget addresses with nothing recent, then the least recently seen
        records.values().removeIf(r -> !now.isBefore(r.refusedUntil)
                && (r.failures.isEmpty() || r.failures.peekLast().isBefore(now.minus(window))));
        Iterator<Map.Entry<String, Record>> oldest = records.entrySet().iterator();
        while (records.size() > maxAddresses && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    private static String key(String address) {
        return address == null || address.isBlank() ? "unknown" : address;
    }
}
