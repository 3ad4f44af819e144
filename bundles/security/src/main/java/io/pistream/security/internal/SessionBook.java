package io.pistream.security.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.pistream.api.security.AccessControl.Session;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Verdict;
import io.pistream.api.security.Verdict.Reason;

/**
 * Browser sessions, in memory: a restart logs everyone out, which is what a device that just restarted should do.
 * Values are 256 random bits; at most {@code capacity} live at once, the oldest going first.
 */
final class SessionBook {

    static final String PREFIX = "s.";

    private record Entry(Caller caller, Instant expires) {
    }

    private final Duration lifetime;
    private final int capacity;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Entry> sessions = new LinkedHashMap<>();

    SessionBook(Duration lifetime, int capacity, Clock clock) {
        this.lifetime = lifetime;
        this.capacity = capacity;
        this.clock = clock;
    }

    synchronized Session open(Caller caller) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = clock.instant().plus(lifetime);
        sessions.put(value, new Entry(new Caller(caller.name(), caller.roles(), "session"), expires));
        trim();
        return new Session(value, expires);
    }

    synchronized Verdict check(String value) {
        Entry entry = sessions.get(value);
        if (entry == null) {
            return new Verdict.Refused(Reason.REVOKED, "The session ended; log in again");
        }
        if (!clock.instant().isBefore(entry.expires())) {
            sessions.remove(value);
            return new Verdict.Refused(Reason.EXPIRED, "The session expired; log in again");
        }
        return new Verdict.Allowed(entry.caller());
    }

    synchronized void close(String value) {
        sessions.remove(value);
    }

    /** Ends every session of a user (removed, or a new password set). */
    synchronized void closeAll(String user) {
        sessions.values().removeIf(entry -> entry.caller().name().equals(user));
    }

    synchronized int size() {
        return sessions.size();
    }

    private void trim() {
        Instant now = clock.instant();
        sessions.values().removeIf(entry -> !now.isBefore(entry.expires()));
        Iterator<String> oldest = sessions.keySet().iterator();
        while (sessions.size() > capacity && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
