package io.pistream.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Argon2PasswordsTest {

    private final Argon2Passwords passwords = new Argon2Passwords(Argon2Passwords.DEFAULT_COST);

    @Test
    void hashIsSaltedAndVerifies() {
        String first = passwords.hash("correct horse");
        String second = passwords.hash("correct horse");
        assertNotEquals(first, second, "a random salt makes every hash different");
        assertTrue(first.startsWith("argon2id:19:19456:2:1:"), first);
        assertFalse(first.contains(","), "the users file separates roles with commas");
        assertTrue(passwords.verify("correct horse", first));
        assertTrue(passwords.verify("correct horse", second));
        assertFalse(passwords.verify("correct horse!", first));
        assertFalse(passwords.verify("", first));
    }

    @Test
    void anUnmatchableHashCostsNothingToMakeAndAFullHashToCheck() {
        long before = Argon2Passwords.derivations();
        String decoy = passwords.unmatchable();
        assertEquals(before, Argon2Passwords.derivations(), "made without hashing");
        assertNotEquals(decoy, passwords.unmatchable());
        assertFalse(passwords.needsRehash(decoy), "of the current cost: " + decoy);
        String real = passwords.hash("no user has this password");
        assertEquals(real.length(), decoy.length(), "shaped as a real hash: " + decoy);
        before = Argon2Passwords.derivations();
        for (String password : new String[] {"no user has this password", "", "x"}) {
            assertFalse(passwords.verify(password, decoy), password);
        }
        assertEquals(before + 3, Argon2Passwords.derivations(), "each check against it computes a hash");
    }

    @Test
    void atMostTwoHashesRunAtOnceHoweverManyLoginsArrive() throws Exception {
        // each hash takes 19 MiB of heap: eight at once exhausted the device's 160 MiB
        java.util.concurrent.ExecutorService logins = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            String stored = passwords.hash("crowd");
            for (int i = 0; i < 12; i++) {
                results.add(logins.submit(() -> passwords.verify("crowd", stored)));
            }
            for (java.util.concurrent.Future<Boolean> result : results) {
                assertTrue(result.get(), "every login of the crowd is answered");
            }
        } finally {
            logins.shutdownNow();
        }
        assertTrue(Argon2Passwords.peakConcurrentHashes() <= Argon2Passwords.CONCURRENT_HASHES,
                "peak " + Argon2Passwords.peakConcurrentHashes());
        assertEquals(2, Argon2Passwords.CONCURRENT_HASHES);
    }

    @Test
    void legacyKarafSha256StillChecks() {
        // Karaf's default encryption: unsalted SHA-256, hexadecimal ("password")
        String legacy = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
        assertTrue(passwords.verify("password", legacy));
        assertFalse(passwords.verify("Password", legacy));
        assertTrue(passwords.needsRehash(legacy));
        assertFalse(passwords.needsRehash(passwords.hash("x")));
    }

    @Test
    void malformedStoredValuesNeverMatch() {
        for (String stored : new String[] {"", "argon2id", "argon2id:19:0:1:1:AA:AA", "argon2id:19:a:b:c:d:e",
                "argon2id:19:99999999:1:1:AA:AA", "argon2id:18:64:1:1:AA:AA", "plain"}) {
            assertFalse(passwords.verify("plain", stored), stored);
        }
        assertEquals(false, passwords.verify(null, passwords.hash("x")));
    }
}
