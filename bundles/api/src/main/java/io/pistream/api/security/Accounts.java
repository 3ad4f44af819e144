package io.pistream.api.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/** Administration of users and tokens (the shell's {@code pistream:user} and {@code pistream:token}, the web app). */
@ProviderType
public interface Accounts {

    /** The users with pistream roles, sorted by name. */
    List<User> users();

    /** Adds a user with a generated password, which is returned once and never stored in clear. */
    String addUser(String name, Set<Role> roles);

    /** Removes a user; false if there was none. */
    boolean removeUser(String name);

    /** Sets a user's password ({@code null}: generate one); returns the password. */
    String setPassword(String name, String password);

    /** Issues a signed token for programs, with the given roles and lifetime. */
    IssuedToken createToken(String label, Set<Role> roles, Duration lifetime);

    /** The tokens issued and not yet expired, revoked ones included. */
    List<TokenInfo> tokens();

    /** Revokes a token by its id; false if there is no such token. */
    boolean revokeToken(String id);

    /**
     * @param initialPassword true while this is the generated administrator whose password was never changed
     */
    record User(String name, Set<Role> roles, boolean initialPassword) {
    }

    /** A token as issued: its id (for listing and revoking) and the secret string, shown once. */
    record IssuedToken(String id, String token, Instant expires) {
    }

    record TokenInfo(String id, String label, Set<Role> roles, Instant issued, Instant expires, boolean revoked) {
    }
}
