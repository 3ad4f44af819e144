package io.pistream.security.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes as stored in Karaf's users file: Argon2id with a random salt, written
 * {@code argon2id:19:MEMORY_KIB:ITERATIONS:PARALLELISM:SALT:HASH} (no commas: the users file separates roles with
 * them). Also checks the unsalted SHA-256 hex hashes of Karaf's default encryption, so users made before pistream
 * managed the store can still log in once and be re-hashed.
 */
public final class Argon2Passwords {

    /** OWASP's minimum for Argon2id (19 MiB, 2 passes): about 60 ms here, well under a second on a Pi Zero 2. */
    public static final Cost DEFAULT_COST = new Cost(19 * 1024, 2, 1);

    private static final String SCHEME = "argon2id";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /**
     * Hashes computed at once in this JVM: each takes its memory cost (19 MiB) of heap, and the device's heap is
     * 160 MiB, so eight logins at once were enough to exhaust it. Two keep both cores busy; the others queue.
     */
    static final int CONCURRENT_HASHES = 2;
    private static final Semaphore HASHING = new Semaphore(CONCURRENT_HASHES, true);
    private static final AtomicInteger ACTIVE = new AtomicInteger();
    private static final AtomicInteger PEAK = new AtomicInteger();
    private static final AtomicLong DERIVATIONS = new AtomicLong();

    public record Cost(int memoryKib, int iterations, int parallelism) {
    }

    private final Cost cost;
    private final SecureRandom random = new SecureRandom();

    public Argon2Passwords(Cost cost) {
        this.cost = cost;
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return format(salt, derive(password, salt, cost, HASH_BYTES));
    }

    /**
     * A stored hash of this cost that no password matches, made without hashing: a random salt and random hash
     * bytes. Checking a password against it costs what checking one against a real hash does, so it stands in for
     * users that do not exist, and costs nothing to make (a real hash at start-up delayed every door by one hash).
     */
    public String unmatchable() {
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        random.nextBytes(salt);
        random.nextBytes(hash);
        return format(salt, hash);
    }

    private String format(byte[] salt, byte[] hash) {
        return String.join(":", SCHEME, "19", Integer.toString(cost.memoryKib()), Integer.toString(cost.iterations()),
                Integer.toString(cost.parallelism()), ENCODER.encodeToString(salt), ENCODER.encodeToString(hash));
    }

    /** True if {@code password} matches {@code stored} (an Argon2id string of ours, or a legacy SHA-256 hex). */
    public boolean verify(String password, String stored) {
        if (password == null || stored == null) {
            return false;
        }
        if (isLegacySha256(stored)) {
            return MessageDigest.isEqual(sha256Hex(password).getBytes(StandardCharsets.US_ASCII),
                    stored.toLowerCase().getBytes(StandardCharsets.US_ASCII));
        }
        String[] parts = stored.split(":");
        if (parts.length != 7 || !SCHEME.equals(parts[0]) || !"19".equals(parts[1])) {
            return false;
        }
        try {
            Cost storedCost = new Cost(Integer.parseInt(parts[2]), Integer.parseInt(parts[3]),
                    Integer.parseInt(parts[4]));
            if (storedCost.memoryKib() < 8 || storedCost.memoryKib() > 1024 * 1024 || storedCost.iterations() < 1
                    || storedCost.iterations() > 100 || storedCost.parallelism() < 1
                    || storedCost.parallelism() > 16) {
                return false;
            }
            byte[] salt = DECODER.decode(parts[5]);
            byte[] expected = DECODER.decode(parts[6]);
            return MessageDigest.isEqual(expected, derive(password, salt, storedCost, expected.length));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** True for hashes that should be replaced by an Argon2id hash of the current cost at the next login. */
    public boolean needsRehash(String stored) {
        return stored == null || !stored.startsWith(SCHEME + ":19:" + cost.memoryKib() + ":" + cost.iterations()
                + ":" + cost.parallelism() + ":");
    }

    static boolean isLegacySha256(String stored) {
        return stored.length() == 64 && stored.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** The most hashes that ran at once since the JVM started (for tests of the bound). */
    static int peakConcurrentHashes() {
        return PEAK.get();
    }

    /** Argon2 computations since the JVM started (for tests of what costs a hash). */
    static long derivations() {
        return DERIVATIONS.get();
    }

    private static byte[] derive(String password, byte[] salt, Cost cost, int length) {
        HASHING.acquireUninterruptibly();
        try {
            DERIVATIONS.incrementAndGet();
            PEAK.accumulateAndGet(ACTIVE.incrementAndGet(), Math::max);
            return deriveNow(password, salt, cost, length);
        } finally {
            ACTIVE.decrementAndGet();
            HASHING.release();
        }
    }

    private static byte[] deriveNow(String password, byte[] salt, Cost cost, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(cost.memoryKib())
                .withIterations(cost.iterations())
                .withParallelism(cost.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private static String sha256Hex(String password) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
