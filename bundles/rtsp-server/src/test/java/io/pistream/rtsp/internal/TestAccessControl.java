package io.pistream.rtsp.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.api.security.Verdict;

/**
 * Stands in for the security bundle, which the RTSP door only reaches through {@link AccessControl}: users with
 * their Digest secret HA1 = MD5(user:pistream:password) and roles, and a count of failed logins per address that
 * throttles the address at a limit. Changes notify the listeners at once, on the caller's thread, as a real
 * implementation may.
 */
final class TestAccessControl implements AccessControl {

    private final Map<String, DigestSecret> users = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean enforced = true;
    private volatile int failureLimit = 5;

    /** Adds a user, or changes the password and roles of one. */
    TestAccessControl user(String name, String password, Role... roles) {
        users.put(name, new DigestSecret(ha1(name, password),
                roles.length == 0 ? Set.of() : Set.copyOf(EnumSet.of(roles[0], roles))));
        changed();
        return this;
    }

    void removeUser(String name) {
        users.remove(name);
        changed();
    }

    /** Switches authentication on or off, as {@code auth = off} does; notifies like an account change. */
    void enforce(boolean on) {
        enforced = on;
        changed();
    }

    void failureLimit(int limit) {
        failureLimit = limit;
    }

    int failures(String address) {
        AtomicInteger count = failures.get(address);
        return count == null ? 0 : count.get();
    }

    /** Forgets the failures of an address (the throttle's time is up). */
    void forgive(String address) {
        failures.remove(address);
    }

    int listeners() {
        return listeners.size();
    }

    static String ha1(String user, String password) {
        return md5Hex(user + ":" + REALM + ":" + password);
    }

    /** MD5 in lower-case hex, as RFC 2617 Digest uses it. */
    static String md5Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void changed() {
        listeners.forEach(Runnable::run);
    }

    @Override
    public boolean enforced() {
        return enforced;
    }

    @Override
    public Caller unchecked() {
        return new Caller("anonymous", EnumSet.allOf(Role.class), "none");
    }

    @Override
    public Verdict checkPassword(String user, String password, String clientAddress) {
        DigestSecret secret = users.get(user);
        return secret != null && secret.ha1().equals(ha1(user, password))
                ? new Verdict.Allowed(new Caller(user, secret.roles(), "password"))
                : new Verdict.Refused(Verdict.Reason.INVALID, "wrong user name or password");
    }

    @Override
    public Verdict checkToken(String token, String clientAddress) {
        return new Verdict.Refused(Verdict.Reason.INVALID, "no tokens here");
    }

    @Override
    public void recordFailure(String door, String clientAddress) {
        failures.computeIfAbsent(clientAddress, address -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public boolean throttled(String clientAddress) {
        return failures(clientAddress) >= failureLimit;
    }

    @Override
    public Session openSession(Caller caller) {
        throw new UnsupportedOperationException("no sessions at the RTSP door");
    }

    @Override
    public void closeSession(String sessionValue) {
        throw new UnsupportedOperationException("no sessions at the RTSP door");
    }

    @Override
    public Map<String, DigestSecret> digestSecrets() {
        return Map.copyOf(users);
    }

    @Override
    public AutoCloseable onAccountsChanged(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public String deviceToken() {
        return "device-token";
    }
}
