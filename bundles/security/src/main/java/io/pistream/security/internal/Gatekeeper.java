package io.pistream.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Accounts;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.api.security.Verdict;
import io.pistream.api.security.Verdict.Reason;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers behind {@link AccessControl} and {@link Accounts}, free of OSGi: a user store, the token and session
 * books, the RTSP Digest secrets and the throttle of failed logins.
 */
public class Gatekeeper implements AccessControl, Accounts {

    private static final Logger LOG = LoggerFactory.getLogger(Gatekeeper.class);

    static final String ADMIN = "admin";
    static final String DEVICE = "device";
    private static final int MIN_PASSWORD_LENGTH = 8;
    private static final Caller UNCHECKED = new Caller("anonymous", EnumSet.allOf(Role.class), "none");
    private final Argon2Passwords timingDecoy = new Argon2Passwords(Argon2Passwords.DEFAULT_COST);
    private final String timingDecoyHash = timingDecoy.unmatchable();

    private final SecuritySettings settings;
    private final UserStore users;
    private final Path adminPasswordFile;
    private final TokenBook tokens;
    private final SessionBook sessions;
    private final DigestBook digests;
    private final LoginThrottle throttle;
    private final String deviceToken;
    private final SecureRandom random = new SecureRandom();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private static final int LOGIN_WAIT_SECONDS = 10;
    /** Logins in progress, a few more than the hashes that may run at once, so that the hashing never idles. */
    private final Semaphore logins = new Semaphore(Argon2Passwords.CONCURRENT_HASHES * 2, true);
    private static final long STORE_POLL_MILLIS = 100;
    /** Reads of the users, a poll apart, to find two that agree before deciding that there is no administrator. */
    private static final int SETTLE_READS = 20;
    /** How long a store that hashes clear-text passwords itself is given to do it (Karaf: under a second here). */
    Duration storeHashingWait = Duration.ofSeconds(10);

    /**
     * @param etc the folder of the device's secrets: admin.password, pistream-token.key, pistream-tokens.properties,
     *            pistream.digest
     */
    public Gatekeeper(SecuritySettings settings, UserStore users, Path etc, Clock clock) throws IOException {
        this.settings = settings;
        this.users = users;
        this.adminPasswordFile = etc.resolve("admin.password");
        this.tokens = new TokenBook(etc.resolve("pistream-token.key"), etc.resolve("pistream-tokens.properties"), clock);
        this.sessions = new SessionBook(settings.sessionLifetime(), settings.maxSessions(), clock);
        this.digests = new DigestBook(etc.resolve("pistream.digest"));
        this.throttle = new LoginThrottle(settings.loginFailuresAllowed(), settings.loginFailureWindow(),
                settings.refuse(), 10_000, clock);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        this.deviceToken = "d." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Makes the store ready: passwords found in clear (the first-start script writes the generated administrator's
     * that way) are hashed, keeping their RTSP Digest secret; an administrator is created when there is none.
     */
    protected final void prepare() throws IOException {
        Map<String, String> clear = users.clearTextPasswords();
        if (!clear.isEmpty()) {
            for (Map.Entry<String, String> user : clear.entrySet()) {
                digests.put(user.getKey(), user.getValue());
            }
            // two writers of one users file lose each other's entries: leave the hashing to the store if it does it
            if (!users.hashesClearTextItself() || !awaitHashingByTheStore()) {
                users.hashClearTextPasswords();
            }
            LOG.info("The passwords of {} are stored as Argon2id hashes now (they were in clear text)", clear.keySet());
        }
        try {
            ensureAdministrator();
        } catch (IllegalStateException unavailable) {
            LOG.warn("{}: whether an administrator exists is decided at the next start", unavailable.getMessage());
        }
        if (!settings.enforced()) {
            LOG.warn("AUTHENTICATION IS OFF (auth = off in etc/io.pistream.security.cfg): anyone who reaches this "
                    + "device can watch, listen and talk through it");
        }
    }

    /** Creates user 'admin' with a generated password when no user has the admin role. */
    private void ensureAdministrator() throws IOException {
        Map<String, Set<Role>> known = users.users();
        if (noAdministratorIn(known)) {
            // a read while another party saves the file may see it empty: decide on two reads that agree
            known = settledUsers(known);
        }
        if (noAdministratorIn(known)) {
            if (known.containsKey(ADMIN)) {
                LOG.error("No user has the admin role, and user '{}' exists without it: nobody can manage users "
                        + "through pistream. Give '{}' the admin role in the JAAS realm (etc/users.properties: "
                        + "_g_:admingroup after its password) or with jaas:role-add in the Karaf console", ADMIN, ADMIN);
            } else {
                String password = generatePassword();
                users.add(ADMIN, password, EnumSet.allOf(Role.class));
                // A realm going away (while the platform stops) lists no user and keeps none it is given; writing
                // the password file and the Digest secret then would replace the working ones with a password
                // nobody can log in with. Both are written only for an administrator the store now holds.
                if (users.users().getOrDefault(ADMIN, Set.of()).contains(Role.ADMIN)) {
                    digests.put(ADMIN, password);
                    OwnerOnlyFiles.write(adminPasswordFile, password + "\n");
                    LOG.warn("No administrator existed: created user 'admin'; its password is in {} until it is "
                            + "changed", adminPasswordFile.toAbsolutePath());
                } else {
                    LOG.warn("The user store lists no administrator and did not keep the one made for it (is the JAAS "
                            + "realm stopping?): {} and the RTSP Digest secrets are left as they are",
                            adminPasswordFile.toAbsolutePath());
                }
            }
        }
    }

    /** True once the store holds no clear-text password; false if it still does after {@link #storeHashingWait}. */
    private boolean awaitHashingByTheStore() {
        long deadline = System.nanoTime() + storeHashingWait.toNanos();
        while (System.nanoTime() < deadline) {
            if (users.clearTextPasswords().isEmpty()) {
                return true;
            }
            if (!pause(STORE_POLL_MILLIS)) {
                return false;
            }
        }
        LOG.warn("The user store did not hash the clear-text passwords within {} s: hashing them here",
                storeHashingWait.toSeconds());
        return false;
    }

    private Map<String, Set<Role>> settledUsers(Map<String, Set<Role>> first) {
        Map<String, Set<Role>> previous = first;
        for (int read = 0; read < SETTLE_READS; read++) {
            if (!pause(STORE_POLL_MILLIS)) {
                break;
            }
            Map<String, Set<Role>> now = users.users();
            if (now.equals(previous)) {
                return now;
            }
            previous = now;
        }
        return previous;
    }

    private static boolean noAdministratorIn(Map<String, Set<Role>> known) {
        return known.values().stream().noneMatch(roles -> roles.contains(Role.ADMIN));
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean enforced() {
        return settings.enforced();
    }

    @Override
    public Caller unchecked() {
        return UNCHECKED;
    }

    @Override
    public Verdict checkPassword(String user, String password, String clientAddress) {
        if (!settings.enforced()) {
            return new Verdict.Allowed(UNCHECKED);
        }
        if (throttle.throttled(clientAddress)) {
            return throttledVerdict(clientAddress);
        }
        if (user == null || user.isEmpty() || password == null || password.isEmpty()) {
            return new Verdict.Refused(Reason.MISSING, "A user name and a password are needed");
        }
        // a login waits for its turn at hashing (see Argon2Passwords): a crowd of them waits here, not on the
        // heap, and past a few seconds is told to come back rather than tying up a request thread
        try {
            if (!logins.tryAcquire(LOGIN_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("Refused a login for user {} from {}: too many password checks at once", printable(user),
                        printable(clientAddress));
                return new Verdict.Refused(Reason.THROTTLED, "The device is busy checking passwords; try again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict.Refused(Reason.THROTTLED, "The device is busy checking passwords; try again");
        }
        try {
            return checkPasswordNow(user, password, clientAddress);
        } finally {
            logins.release();
        }
    }

    private Verdict checkPasswordNow(String user, String password, String clientAddress) {
        Optional<Set<Role>> roles;
        if (Names.isValidUser(user) && users.users().containsKey(user)) {
            roles = users.login(user, password);
        } else {
            // as slow as checking a real user's password, so that the answer's delay does not tell who exists
            timingDecoy.verify(password, timingDecoyHash);
            roles = Optional.empty();
        }
        if (roles.isEmpty()) {
            failed("password", printable(user), clientAddress);
            return new Verdict.Refused(Reason.INVALID, "Wrong user name or password");
        }
        try {
            if (digests.put(user, password)) {
                fireChanged();
            }
        } catch (IOException e) {
            LOG.warn("Could not store the RTSP Digest secret of {}: {}", user, e.getMessage());
        }
        return new Verdict.Allowed(new Caller(user, roles.get(), "password"));
    }

    @Override
    public Verdict checkToken(String token, String clientAddress) {
        if (!settings.enforced()) {
            return new Verdict.Allowed(UNCHECKED);
        }
        if (throttle.throttled(clientAddress)) {
            return throttledVerdict(clientAddress);
        }
        if (token == null || token.isBlank()) {
            return new Verdict.Refused(Reason.MISSING, "A token, a session or a password is needed");
        }
        if (MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), deviceToken.getBytes(StandardCharsets.UTF_8))) {
            return new Verdict.Allowed(new Caller(DEVICE, EnumSet.of(Role.VIEWER, Role.TALK), "token"));
        }
        Verdict verdict = token.startsWith(SessionBook.PREFIX) ? sessions.check(token) : tokens.check(token);
        if (verdict == null) {
            verdict = new Verdict.Refused(Reason.INVALID, "The token is not one of this device's");
        }
        if (verdict instanceof Verdict.Refused refused && refused.reason() == Reason.INVALID) {
            failed("token", "-", clientAddress);
        }
        return verdict;
    }

    @Override
    public void recordFailure(String door, String clientAddress) {
        failed(door, "-", clientAddress);
    }

    @Override
    public boolean throttled(String clientAddress) {
        return settings.enforced() && throttle.throttled(clientAddress);
    }

    @Override
    public Session openSession(Caller caller) {
        return sessions.open(caller);
    }

    @Override
    public void closeSession(String sessionValue) {
        sessions.close(sessionValue);
    }

    @Override
    public Map<String, DigestSecret> digestSecrets() {
        Map<String, Set<Role>> known;
        try {
            known = users.users();
        } catch (IllegalStateException unavailable) {
            // fail closed: without the users' roles nobody logs in with Digest (this is while the platform stops)
            LOG.warn("RTSP Digest logins are refused until the users can be read: {}", unavailable.getMessage());
            return Map.of();
        }
        Map<String, DigestSecret> secrets = new LinkedHashMap<>();
        digests.all().forEach((user, ha1) -> {
            Set<Role> roles = known.get(user);
            if (roles != null && !roles.isEmpty()) {
                secrets.put(user, new DigestSecret(ha1, roles));
            }
        });
        return secrets;
    }

    @Override
    public AutoCloseable onAccountsChanged(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public String deviceToken() {
        return deviceToken;
    }

    @Override
    public List<User> users() {
        boolean initial = Files.exists(adminPasswordFile);
        List<User> list = new ArrayList<>();
        users.users().forEach((name, roles) -> list.add(new User(name, roles, initial && ADMIN.equals(name))));
        return list;
    }

    @Override
    public String addUser(String name, Set<Role> roles) {
        Names.checkUser(name);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("A user needs at least one role: viewer, talk or admin");
        }
        if (users.users().containsKey(name)) {
            throw new IllegalArgumentException("User '" + name + "' exists already");
        }
        String password = generatePassword();
        users.add(name, password, roles);
        storeDigest(name, password);
        LOG.info("User '{}' added with roles {}", name, roles);
        fireChanged();
        return password;
    }

    @Override
    public boolean removeUser(String name) {
        Map<String, Set<Role>> all = users.users();
        Set<Role> roles = all.get(name);
        if (roles == null) {
            return false;
        }
        if (roles.contains(Role.ADMIN) && all.values().stream().filter(r -> r.contains(Role.ADMIN)).count() == 1) {
            throw new IllegalArgumentException("'" + name + "' is the only administrator: add another one first");
        }
        users.remove(name);
        sessions.closeAll(name);
        try {
            digests.remove(name);
        } catch (IOException e) {
            LOG.warn("Could not remove the RTSP Digest secret of {}: {}", name, e.getMessage());
        }
        LOG.info("User '{}' removed", name);
        fireChanged();
        return true;
    }

    @Override
    public String setPassword(String name, String password) {
        if (!users.users().containsKey(name)) {
            throw new IllegalArgumentException("No user '" + name + "'");
        }
        String newPassword = password == null ? generatePassword() : password;
        if (newPassword.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("A password has at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        users.setPassword(name, newPassword);
        sessions.closeAll(name);
        storeDigest(name, newPassword);
        if (ADMIN.equals(name)) {
            try {
                if (OwnerOnlyFiles.delete(adminPasswordFile)) {
                    LOG.info("The administrator set a new password: deleted {}", adminPasswordFile.toAbsolutePath());
                }
            } catch (IOException e) {
                LOG.warn("Could not delete {}: {}", adminPasswordFile, e.getMessage());
            }
        }
        LOG.info("Password of '{}' changed", name);
        fireChanged();
        return newPassword;
    }

    @Override
    public IssuedToken createToken(String label, Set<Role> roles, Duration lifetime) {
        IssuedToken token = tokens.issue(label, roles, lifetime);
        LOG.info("Token {} issued to '{}' with roles {} until {}", token.id(), label, roles, token.expires());
        return token;
    }

    @Override
    public List<TokenInfo> tokens() {
        return tokens.list();
    }

    @Override
    public boolean revokeToken(String id) {
        boolean revoked = tokens.revoke(id);
        if (revoked) {
            LOG.info("Token {} revoked", id);
        }
        return revoked;
    }

    private void storeDigest(String name, String password) {
        try {
            digests.put(name, password);
        } catch (IOException e) {
            throw new IllegalStateException("Could not store the RTSP Digest secret of " + name + ": " + e.getMessage(), e);
        }
    }

    private void failed(String door, String user, String clientAddress) {
        boolean nowRefused = throttle.failure(clientAddress);
        LOG.warn("Failed login at {} for user {} from {}", door, user, printable(clientAddress));
        if (nowRefused) {
            LOG.warn("Refusing {} for {} s: more than {} failed logins in {} s", printable(clientAddress),
                    settings.refuse().toSeconds(), settings.loginFailuresAllowed(),
                    settings.loginFailureWindow().toSeconds());
        }
    }

    private Verdict throttledVerdict(String clientAddress) {
        return new Verdict.Refused(Reason.THROTTLED, "Too many failed logins from " + printable(clientAddress)
                + "; try again later");
    }

    private void fireChanged() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("A listener of account changes failed: {}", e.toString());
            }
        }
    }

    private String generatePassword() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Client-supplied text as it may appear in a log line: short, without control characters. */
    static String printable(String text) {
        if (text == null) {
            return "unknown";
        }
        String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
