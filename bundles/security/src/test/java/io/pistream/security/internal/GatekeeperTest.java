package io.pistream.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import io.pistream.api.security.AccessControl.Session;
import io.pistream.api.security.Accounts.IssuedToken;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.api.security.Verdict;
import io.pistream.api.security.Verdict.Reason;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatekeeperTest {

    @TempDir
    Path etc;

    private final MutableClock clock = new MutableClock();
    private final MemoryUserStore store = new MemoryUserStore();
    private Gatekeeper gatekeeper;

    @BeforeEach
    void start() throws Exception {
        gatekeeper = new Gatekeeper(settings("on"), store, etc, clock);
        gatekeeper.prepare();
    }

    private static SecuritySettings settings(String auth) {
        return new SecuritySettings(!auth.equals("off"), "karaf", 5, Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ofHours(12), 3);
    }

    @Test
    void firstStartCreatesAnAdministratorWithAnOwnerOnlyPasswordFile() throws Exception {
        Path file = etc.resolve("admin.password");
        String password = Files.readString(file).trim();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Verdict verdict = gatekeeper.checkPassword("admin", password, "192.0.2.1");
        Caller admin = assertInstanceOf(Verdict.Allowed.class, verdict).caller();
        assertEquals(EnumSet.allOf(Role.class), admin.roles());
        assertTrue(gatekeeper.users().get(0).initialPassword());
        assertTrue(gatekeeper.digestSecrets().containsKey("admin"), "the administrator can use RTSP at once");

        gatekeeper.setPassword("admin", "a new long password");
        assertFalse(Files.exists(file), "the generated password file goes once the administrator sets a password");
        assertInstanceOf(Verdict.Refused.class, gatekeeper.checkPassword("admin", password, "192.0.2.1"));
        assertInstanceOf(Verdict.Allowed.class, gatekeeper.checkPassword("admin", "a new long password", "192.0.2.1"));
    }

    @Test
    void clearTextPasswordsAreHashedAtStartAndKeepWorking() throws Exception {
        MemoryUserStore legacy = new MemoryUserStore();
        legacy.addClearText("admin", "from-the-start-script", EnumSet.allOf(Role.class));
        Gatekeeper keeper = new Gatekeeper(settings("on"), legacy, etc.resolve("other"), clock);
        keeper.prepare();
        assertTrue(legacy.clearTextPasswords().isEmpty(), "nothing stays in clear");
        assertTrue(legacy.stored.get("admin").startsWith("argon2id:"));
        assertInstanceOf(Verdict.Allowed.class, keeper.checkPassword("admin", "from-the-start-script", "h"));
        assertEquals(DigestBook.ha1("admin", "from-the-start-script"), keeper.digestSecrets().get("admin").ha1());
    }

    @Test
    void aStoreThatHashesClearTextItselfIsLeftToItAndNothingIsLost() throws Exception {
        MemoryUserStore karafLike = new MemoryUserStore();
        karafLike.hashesClearTextItself = true;
        karafLike.addClearText("admin", "from-the-start-script", EnumSet.allOf(Role.class));
        karafLike.addClearText("viewer", "viewer-password", EnumSet.of(Role.VIEWER));
        Thread realm = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            karafLike.hashClearTextPasswords();
        }, "realm-encryption");
        realm.start();
        Path otherEtc = etc.resolve("karaf-like");
        Gatekeeper keeper = new Gatekeeper(settings("on"), karafLike, otherEtc, clock);
        keeper.prepare();
        realm.join();
        assertEquals(java.util.List.of("realm-encryption"), karafLike.hashedBy, "only the store hashed");
        assertFalse(Files.exists(otherEtc.resolve("admin.password")), "the administrator was kept, not re-created");
        assertInstanceOf(Verdict.Allowed.class, keeper.checkPassword("admin", "from-the-start-script", "h"));
        assertInstanceOf(Verdict.Allowed.class, keeper.checkPassword("viewer", "viewer-password", "h"));
        assertEquals(Set.of("admin", "viewer"), keeper.digestSecrets().keySet(), "both can use RTSP Digest");
    }

    @Test
    void aStoreThatDoesNotHashInTimeIsHashedHere() throws Exception {
        MemoryUserStore idle = new MemoryUserStore();
        idle.hashesClearTextItself = true;
        idle.addClearText("admin", "from-the-start-script", EnumSet.allOf(Role.class));
        Gatekeeper keeper = new Gatekeeper(settings("on"), idle, etc.resolve("idle"), clock);
        keeper.storeHashingWait = Duration.ofMillis(300);
        keeper.prepare();
        assertEquals(java.util.List.of(Thread.currentThread().getName()), idle.hashedBy);
        assertTrue(idle.clearTextPasswords().isEmpty(), "nothing stays in clear");
    }

    @Test
    void aReadOfTheUsersWhileTheyAreSavedNeitherResetsNorAddsAnAdministrator() throws Exception {
        MemoryUserStore saving = new MemoryUserStore();
        saving.add("admin", "the-admins-own-password", EnumSet.allOf(Role.class));
        String hash = saving.stored.get("admin");
        saving.emptyReads = 1;
        Path otherEtc = etc.resolve("saving");
        Gatekeeper keeper = new Gatekeeper(settings("on"), saving, otherEtc, clock);
        keeper.prepare();
        assertEquals(hash, saving.stored.get("admin"), "the administrator's password is unchanged");
        assertFalse(Files.exists(otherEtc.resolve("admin.password")));
        assertEquals(Set.of("admin"), saving.users().keySet());
    }

    @Test
    void aRealmThatKeepsNoUserWhileThePlatformStopsLeavesThePasswordFileAndTheDigestSecretsAlone() throws Exception {
        // the first start made the administrator, its password file and its RTSP secret in etc
        Path file = etc.resolve("admin.password");
        String password = Files.readString(file);
        String secrets = Files.readString(etc.resolve("pistream.digest"));
        MemoryUserStore stopping = new MemoryUserStore();
        stopping.detached = true;

        new Gatekeeper(settings("on"), stopping, etc, clock).prepare();

        assertEquals(password, Files.readString(file), "the password file still holds the password that works");
        assertEquals(secrets, Files.readString(etc.resolve("pistream.digest")),
                "RTSP still knows the administrator's secret");
        assertInstanceOf(Verdict.Allowed.class, gatekeeper.checkPassword("admin", password.trim(), "192.0.2.1"));

        // and a realm whose users cannot be read at all: the security service still starts, creates nobody, and
        // RTSP Digest refuses everyone until the users can be read
        MemoryUserStore gone = new MemoryUserStore();
        gone.unreadable = true;
        Gatekeeper withoutUsers = new Gatekeeper(settings("on"), gone, etc, clock);
        withoutUsers.prepare();
        assertEquals(password, Files.readString(file));
        assertEquals(secrets, Files.readString(etc.resolve("pistream.digest")));
        assertTrue(withoutUsers.digestSecrets().isEmpty());
    }

    @Test
    void anAdminUserWithoutTheRoleKeepsItsPassword() throws Exception {
        MemoryUserStore demoted = new MemoryUserStore();
        demoted.add("admin", "the-admins-own-password", EnumSet.of(Role.VIEWER));
        String hash = demoted.stored.get("admin");
        Path otherEtc = etc.resolve("demoted");
        new Gatekeeper(settings("on"), demoted, otherEtc, clock).prepare();
        assertEquals(hash, demoted.stored.get("admin"), "no password is replaced behind the owner's back");
        assertFalse(Files.exists(otherEtc.resolve("admin.password")));
    }

    @Test
    void usersGetTheirRolesAndGeneratedPasswords() {
        String password = gatekeeper.addUser("alice", EnumSet.of(Role.VIEWER));
        assertTrue(password.length() >= 16, password);
        Caller alice = ((Verdict.Allowed) gatekeeper.checkPassword("alice", password, "h")).caller();
        assertTrue(alice.may(Role.VIEWER));
        assertFalse(alice.may(Role.TALK));
        assertThrows(IllegalArgumentException.class, () -> gatekeeper.addUser("alice", Set.of(Role.VIEWER)));
        assertThrows(IllegalArgumentException.class, () -> gatekeeper.addUser("Bad Name", Set.of(Role.VIEWER)));
        assertThrows(IllegalArgumentException.class, () -> gatekeeper.addUser("bob", Set.of()));
        assertThrows(IllegalArgumentException.class, () -> gatekeeper.setPassword("alice", "short"));
        assertThrows(IllegalArgumentException.class, () -> gatekeeper.removeUser("admin"),
                "the only administrator cannot be removed");
        assertTrue(gatekeeper.removeUser("alice"));
        assertInstanceOf(Verdict.Refused.class, gatekeeper.checkPassword("alice", password, "h"));
        assertFalse(gatekeeper.digestSecrets().containsKey("alice"));
    }

    @Test
    void failedLoginsThrottleTheAddressWhateverItSendsNext() {
        String password = gatekeeper.addUser("alice", EnumSet.of(Role.VIEWER));
        for (int i = 0; i < 6; i++) {
            Verdict.Refused refused = (Verdict.Refused) gatekeeper.checkPassword("alice", "wrong", "198.51.100.7");
            assertEquals(Reason.INVALID, refused.reason());
        }
        Verdict.Refused refused = (Verdict.Refused) gatekeeper.checkPassword("alice", password, "198.51.100.7");
        assertEquals(Reason.THROTTLED, refused.reason(), "right credentials are refused too while throttled");
        assertTrue(refused.message().contains("198.51.100.7"));
        assertInstanceOf(Verdict.Allowed.class, gatekeeper.checkPassword("alice", password, "198.51.100.8"));
        clock.advance(Duration.ofMinutes(2));
        assertInstanceOf(Verdict.Allowed.class, gatekeeper.checkPassword("alice", password, "198.51.100.7"));
    }

    @Test
    void tokensExpireAndCanBeRevoked() {
        IssuedToken token = gatekeeper.createToken("nvr", EnumSet.of(Role.VIEWER), Duration.ofDays(1));
        Caller caller = ((Verdict.Allowed) gatekeeper.checkToken(token.token(), "h")).caller();
        assertEquals("nvr", caller.name());
        assertEquals(Set.of(Role.VIEWER), caller.roles());

        IssuedToken revoked = gatekeeper.createToken("old", EnumSet.of(Role.TALK), Duration.ofDays(1));
        assertTrue(gatekeeper.revokeToken(revoked.id()));
        assertEquals(Reason.REVOKED, ((Verdict.Refused) gatekeeper.checkToken(revoked.token(), "h")).reason());
        assertFalse(gatekeeper.revokeToken("no-such-id"));

        clock.advance(Duration.ofDays(2));
        assertEquals(Reason.EXPIRED, ((Verdict.Refused) gatekeeper.checkToken(token.token(), "h")).reason());
    }

    @Test
    void forgedAndForeignTokensAreRefused() throws Exception {
        IssuedToken token = gatekeeper.createToken("nvr", EnumSet.of(Role.VIEWER), Duration.ofDays(1));
        String[] parts = token.token().split("\\.");
        // the payload swapped for one claiming admin, signature kept
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"pistream\",\"jti\":\"" + token.id() + "\",\"sub\":\"nvr\",\"roles\":[\"admin\"],"
                        + "\"exp\":9999999999}").getBytes()) + "." + parts[2];
        assertEquals(Reason.INVALID, ((Verdict.Refused) gatekeeper.checkToken(forged, "h")).reason());

        Gatekeeper otherDevice = new Gatekeeper(settings("on"), new MemoryUserStore(), etc.resolve("other"), clock);
        IssuedToken foreign = otherDevice.createToken("nvr", EnumSet.of(Role.VIEWER), Duration.ofDays(1));
        assertEquals(Reason.INVALID, ((Verdict.Refused) gatekeeper.checkToken(foreign.token(), "h")).reason());
        assertEquals(Reason.INVALID, ((Verdict.Refused) gatekeeper.checkToken("garbage", "h")).reason());
        assertEquals(Reason.MISSING, ((Verdict.Refused) gatekeeper.checkToken("", "h")).reason());
    }

    @Test
    void tokensSurviveARestartButNotTheirRegistry() throws Exception {
        IssuedToken token = gatekeeper.createToken("nvr", EnumSet.of(Role.VIEWER), Duration.ofDays(1));
        Gatekeeper restarted = new Gatekeeper(settings("on"), store, etc, clock);
        assertInstanceOf(Verdict.Allowed.class, restarted.checkToken(token.token(), "h"));
        Files.delete(etc.resolve("pistream-tokens.properties"));
        Gatekeeper wiped = new Gatekeeper(settings("on"), store, etc, clock);
        assertInstanceOf(Verdict.Refused.class, wiped.checkToken(token.token(), "h"));
    }

    @Test
    void sessionsEndAtLogoutExpiryAndPasswordChange() {
        String password = gatekeeper.addUser("alice", EnumSet.of(Role.VIEWER, Role.TALK));
        Caller alice = ((Verdict.Allowed) gatekeeper.checkPassword("alice", password, "h")).caller();
        Session session = gatekeeper.openSession(alice);
        assertEquals("session", ((Verdict.Allowed) gatekeeper.checkToken(session.value(), "h")).caller().proof());
        gatekeeper.closeSession(session.value());
        assertEquals(Reason.REVOKED, ((Verdict.Refused) gatekeeper.checkToken(session.value(), "h")).reason());

        Session second = gatekeeper.openSession(alice);
        gatekeeper.setPassword("alice", "another long password");
        assertInstanceOf(Verdict.Refused.class, gatekeeper.checkToken(second.value(), "h"));

        Session third = gatekeeper.openSession(alice);
        clock.advance(Duration.ofHours(13));
        assertEquals(Reason.EXPIRED, ((Verdict.Refused) gatekeeper.checkToken(third.value(), "h")).reason());
    }

    @Test
    void sessionsAreBounded() {
        Caller alice = new Caller("alice", Set.of(Role.VIEWER), "password");
        Session first = gatekeeper.openSession(alice);
        for (int i = 0; i < 3; i++) {
            gatekeeper.openSession(alice);
        }
        assertInstanceOf(Verdict.Refused.class, gatekeeper.checkToken(first.value(), "h"), "the oldest went");
    }

    @Test
    void theDeviceTokenViewsAndTalks() {
        Caller device = ((Verdict.Allowed) gatekeeper.checkToken(gatekeeper.deviceToken(), "h")).caller();
        assertEquals(EnumSet.of(Role.VIEWER, Role.TALK), device.roles());
        Gatekeeper restarted;
        try {
            restarted = new Gatekeeper(settings("on"), store, etc, clock);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertInstanceOf(Verdict.Refused.class, restarted.checkToken(gatekeeper.deviceToken(), "h"),
                "a device token lives as long as the process");
    }

    @Test
    void accountChangesReachListenersUntilClosed() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        AutoCloseable handle = gatekeeper.onAccountsChanged(changes::incrementAndGet);
        String password = gatekeeper.addUser("alice", EnumSet.of(Role.VIEWER));
        gatekeeper.setPassword("alice", password + "x");
        assertEquals(2, changes.get());
        handle.close();
        gatekeeper.removeUser("alice");
        assertEquals(2, changes.get());
    }

    @Test
    void authOffAllowsEveryone() throws Exception {
        Gatekeeper open = new Gatekeeper(settings("off"), store, etc, clock);
        assertFalse(open.enforced());
        assertEquals(EnumSet.allOf(Role.class),
                ((Verdict.Allowed) open.checkToken(null, "h")).caller().roles());
        assertInstanceOf(Verdict.Allowed.class, open.checkPassword("nobody", "nothing", "h"));
    }
}
