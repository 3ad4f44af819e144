package io.pistream.signalling.testing;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.api.security.Verdict;

/**
 * A stand-in for the security bundle in tests: a fixed table of tokens and the callers they prove, the device's own
 * token among them, and authentication on or off.
 */
public final class TestAccessControl implements AccessControl {

    /** User {@code tester}: viewer and talk, what most tests connect as. */
    public static final String TALK_TOKEN = "test-talk-token";
    /** User {@code alice}: viewer only. */
    public static final String VIEWER_TOKEN = "test-viewer-token";
    /** User {@code bob}: talk only. */
    public static final String TALK_ONLY_TOKEN = "test-talk-only-token";
    /** User {@code root}: admin only, neither viewer nor talk. */
    public static final String ADMIN_TOKEN = "test-admin-token";
    /** The device's own token: its WebRTC producer and receiver. */
    public static final String DEVICE_TOKEN = "test-device-token";

    public static final Caller TESTER = new Caller("tester", EnumSet.of(Role.VIEWER, Role.TALK), "token");
    public static final Caller ALICE = new Caller("alice", EnumSet.of(Role.VIEWER), "token");
    public static final Caller BOB = new Caller("bob", EnumSet.of(Role.TALK), "token");
    public static final Caller ROOT = new Caller("root", EnumSet.of(Role.ADMIN), "token");
    public static final Caller DEVICE = new Caller("device", EnumSet.of(Role.VIEWER, Role.TALK), "token");
    public static final Caller ANONYMOUS = new Caller("anonymous", EnumSet.allOf(Role.class), "none");

    private final boolean enforced;
    private final Map<String, Caller> tokens = new LinkedHashMap<>();

    private TestAccessControl(boolean enforced) {
        this.enforced = enforced;
        tokens.put(TALK_TOKEN, TESTER);
        tokens.put(VIEWER_TOKEN, ALICE);
        tokens.put(TALK_ONLY_TOKEN, BOB);
        tokens.put(ADMIN_TOKEN, ROOT);
        tokens.put(DEVICE_TOKEN, DEVICE);
    }

    /** Authentication on, as shipped. */
    public static TestAccessControl enforcing() {
        return new TestAccessControl(true);
    }

    /** {@code auth = off}: every check answers {@link #ANONYMOUS}. */
    public static TestAccessControl off() {
        return new TestAccessControl(false);
    }

    @Override
    public boolean enforced() {
        return enforced;
    }

    @Override
    public Caller unchecked() {
        return ANONYMOUS;
    }

    @Override
    public Verdict checkPassword(String user, String password, String clientAddress) {
        return enforced ? new Verdict.Refused(Verdict.Reason.INVALID, "No passwords in tests")
                : new Verdict.Allowed(ANONYMOUS);
    }

    @Override
    public Verdict checkToken(String token, String clientAddress) {
        if (!enforced) {
            return new Verdict.Allowed(ANONYMOUS);
        }
        if (token == null || token.isEmpty()) {
            return new Verdict.Refused(Verdict.Reason.MISSING, "No token");
        }
        Caller caller = tokens.get(token);
        return caller == null ? new Verdict.Refused(Verdict.Reason.INVALID, "The token is not one of this device's")
                : new Verdict.Allowed(caller);
    }

    @Override
    public void recordFailure(String door, String clientAddress) {
    }

    @Override
    public boolean throttled(String clientAddress) {
        return false;
    }

    @Override
    public Session openSession(Caller caller) {
        throw new UnsupportedOperationException("no browser sessions in tests");
    }

    @Override
    public void closeSession(String sessionValue) {
    }

    @Override
    public Map<String, DigestSecret> digestSecrets() {
        return Map.of();
    }

    @Override
    public AutoCloseable onAccountsChanged(Runnable listener) {
        return () -> { };
    }

    @Override
    public String deviceToken() {
        return DEVICE_TOKEN;
    }

    /** For tests that need a caller this table does not have. */
    public TestAccessControl with(String token, String name, Set<Role> roles) {
        tokens.put(token, new Caller(name, roles, "token"));
        return this;
    }
}
