package io.pistream.security.internal;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.pistream.api.security.Role;

/** Where users, their password hashes and their roles live (Karaf's JAAS realm on the device). */
interface UserStore {

    /** The user's roles if the password holds. */
    Optional<Set<Role>> login(String user, String password);

    /** Every user with their pistream roles (possibly none). */
    Map<String, Set<Role>> users();

    void add(String user, String password, Set<Role> roles);

    void remove(String user);

    void setPassword(String user, String password);

    /** Users whose password is still stored in clear (written by hand or by the first-start script). */
    Map<String, String> clearTextPasswords();

    /** Stores each of them hashed. */
    void hashClearTextPasswords();

    /**
     * Whether the store hashes clear-text passwords by itself, soon after it finds them: Karaf's realm does with
     * encryption enabled, from a thread of its own. Another writer of the same file meanwhile could lose entries.
     */
    default boolean hashesClearTextItself() {
        return false;
    }
}
