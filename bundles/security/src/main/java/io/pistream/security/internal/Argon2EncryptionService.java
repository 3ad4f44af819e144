package io.pistream.security.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.apache.karaf.jaas.modules.Encryption;
import org.apache.karaf.jaas.modules.EncryptionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plugs Argon2id into Karaf's JAAS password encryption: with {@code encryption.name = pistream} and
 * {@code encryption.algorithm = argon2id} in {@code etc/org.apache.karaf.jaas.cfg}, every password Karaf's users
 * file gets (jaas:useradd, pistream:user, a clear-text entry at its first login) is stored as a salted slow hash,
 * and ssh, the web console and pistream's doors all check against it. Registered by {@link SecurityActivator}, not
 * by Declarative Services, so that it exists before Karaf's JAAS bundle looks for it.
 */
public final class Argon2EncryptionService implements EncryptionService {

    static final String ALGORITHM_ARGON2ID = "argon2id";
    private static final Logger LOG = LoggerFactory.getLogger(Argon2EncryptionService.class);

    private final Argon2Passwords passwords = new Argon2Passwords(Argon2Passwords.DEFAULT_COST);

    /**
     * Before this service hashes anything, keeps the RTSP Digest secret of every password still in clear in the users
     * file: Karaf's own auto-encryption hashes those entries as soon as it finds this service, and after that the
     * clear password (which Digest needs once) is gone.
     */
    Argon2EncryptionService() {
        Path etc = Path.of(System.getProperty("karaf.etc", "etc"));
        try {
            DigestBook.captureClearText(etc.resolve("users.properties"), new DigestBook(etc.resolve("pistream.digest")));
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not keep the RTSP Digest secrets of clear-text passwords: {}", e.toString());
        }
    }

    @Override
    public Encryption createEncryption(Map<String, String> params) {
        String algorithm = params.get(ALGORITHM);
        if (algorithm != null && !algorithm.isBlank() && !ALGORITHM_ARGON2ID.equalsIgnoreCase(algorithm.trim())) {
            throw new IllegalArgumentException("The pistream encryption service hashes with argon2id only, not "
                    + algorithm + ": set encryption.algorithm = argon2id in etc/org.apache.karaf.jaas.cfg");
        }
        return new Encryption() {
            @Override
            public String encryptPassword(String plain) {
                return passwords.hash(plain);
            }

            @Override
            public boolean checkPassword(String input, String stored) {
                return passwords.verify(input, stored);
            }
        };
    }
}
