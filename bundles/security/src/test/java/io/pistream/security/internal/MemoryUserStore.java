package io.pistream.security.internal;

import java.util.EnumSet;
import java.util.HashMap;
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

    void addClearText(String user, String password, Set<Role> userRoles) {
        stored.put(user, "clear:" + password);
        roles.put(user, EnumSet.copyOf(userRoles));
    }

    @Override
    public Optional<Set<Role>> login(String user, String password) {
        String hash = stored.get(user);
        return hash != null && passwords.verify(password, hash) ? Optional.of(roles.get(user)) : Optional.empty();
    }

    @Override
    public Map<String, Set<Role>> users() {
        return new TreeMap<>(roles);
    }

    @Override
    public void add(String user, String password, Set<Role> userRoles) {
        stored.put(user, passwords.hash(password));
        roles.put(user, userRoles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(userRoles));
    }

    @Override
    public void remove(String user) {
        stored.remove(user);
        roles.remove(user);
    }

    @Override
    public void setPassword(String user, String password) {
        stored.put(user, passwords.hash(password));
    }

    @Override
    public Map<String, String> clearTextPasswords() {
        Map<String, String> clear = new TreeMap<>();
        stored.forEach((user, value) -> {
            if (value.startsWith("clear:")) {
                clear.put(user, value.substring("clear:".length()));
            }
        });
        return clear;
    }

    @Override
    public void hashClearTextPasswords() {
        clearTextPasswords().forEach(this::setPassword);
    }
}
