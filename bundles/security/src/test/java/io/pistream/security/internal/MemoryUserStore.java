package io.pistream.security.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.pistream.api.security.Role;

/** A user store in memory, hashing as the device does, for the gatekeeper's rules (Karaf's realm is in the ITs). */
final class MemoryUserStore implements UserStore {

    final Map<String, String> stored = new HashMap<>();
    final Map<String, Set<Role>> roles = new TreeMap<>();
    private final Argon2Passwords passwords = new Argon2Passwords(new Argon2Passwords.Cost(64, 1, 1));
    /** Like Karaf's realm with encryption on: clear-text passwords are hashed by another thread, not by the caller. */
    volatile boolean hashesClearTextItself;
    /** Reads of {@link #users()} still to answer with nothing, as a read of a file being saved would. */
    int emptyReads;
    /** Like Karaf's realm while the platform stops: it lists no user and keeps none it is given. */
    volatile boolean detached;
    /** Like Karaf's realm once the users file's engine has gone: users cannot be read at all. */
    volatile boolean unreadable;
    /** Threads that hashed clear-text passwords. */
    final List<String> hashedBy = new ArrayList<>();

    synchronized void addClearText(String user, String password, Set<Role> userRoles) {
        stored.put(user, "clear:" + password);
        roles.put(user, EnumSet.copyOf(userRoles));
    }

    @Override
    public synchronized Optional<Set<Role>> login(String user, String password) {
        String hash = stored.get(user);
        return hash != null && passwords.verify(password, hash) ? Optional.of(roles.get(user)) : Optional.empty();
    }

    @Override
    public synchronized Map<String, Set<Role>> users() {
        if (unreadable) {
            throw new IllegalStateException("no engine for the users file is running");
        }
        if (detached) {
            return new TreeMap<>();
        }
        if (emptyReads > 0) {
            emptyReads--;
            return new TreeMap<>();
        }
        return new TreeMap<>(roles);
    }

    @Override
    public synchronized void add(String user, String password, Set<Role> userRoles) {
        if (detached) {
            return;
        }
        stored.put(user, passwords.hash(password));
        roles.put(user, userRoles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(userRoles));
    }

    @Override
    public synchronized void remove(String user) {
        stored.remove(user);
        roles.remove(user);
    }

    @Override
    public synchronized void setPassword(String user, String password) {
        stored.put(user, passwords.hash(password));
    }

    @Override
    public synchronized Map<String, String> clearTextPasswords() {
        Map<String, String> clear = new TreeMap<>();
        stored.forEach((user, value) -> {
            if (value.startsWith("clear:")) {
                clear.put(user, value.substring("clear:".length()));
            }
        });
        return clear;
    }

    @Override
    public synchronized void hashClearTextPasswords() {
        hashedBy.add(Thread.currentThread().getName());
        clearTextPasswords().forEach(this::setPassword);
    }

    @Override
    public boolean hashesClearTextItself() {
        return hashesClearTextItself;
    }
}
