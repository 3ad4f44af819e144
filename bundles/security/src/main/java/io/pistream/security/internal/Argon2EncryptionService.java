package io.pistream.security.internal;

import java.util.Map;

import org.apache.karaf.jaas.modules.Encryption;
import org.apache.karaf.jaas.modules.EncryptionService;
import org.osgi.service.component.annotations.Component;

/**
 * Plugs Argon2id into Karaf's JAAS password encryption: with {@code encryption.name = pistream} and
 * {@code encryption.algorithm = argon2id} in {@code etc/org.apache.karaf.jaas.cfg}, every password Karaf's users
 * file gets (jaas:useradd, pistream:user, a clear-text entry at its first login) is stored as a salted slow hash,
 * and ssh, the web console and pistream's doors all check against it.
 */
@Component(service = EncryptionService.class, property = "name=pistream")
public final class Argon2EncryptionService implements EncryptionService {

    static final String ALGORITHM_ARGON2ID = "argon2id";

    private final Argon2Passwords passwords = new Argon2Passwords(Argon2Passwords.DEFAULT_COST);

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
