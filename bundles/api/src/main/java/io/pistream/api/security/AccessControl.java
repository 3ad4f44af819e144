package io.pistream.api.security;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one place every door asks who a caller is. Failed checks are counted per client address across all doors;
 * past the limit an address is refused ({@link Verdict.Reason#THROTTLED}) whatever it sends, for a while, and the
 * refusal is logged with the address.
 */
@ProviderType
public interface AccessControl {

    /** The realm of HTTP and RTSP challenges, and of the RTSP Digest secrets. */
    String REALM = "pistream";

    /**
     * The servlet request attribute under which the HTTP door (a filter in front of every servlet on the device's
     * connector) leaves the {@link Caller} it authenticated. Servlets ask the door's {@code WebDoor} service (bundle
     * web-auth) rather than read it: the door also decides for the requests its filter missed.
     */
    String CALLER_ATTRIBUTE = "io.pistream.security.caller";

    /**
     * False only when an administrator switched authentication off ({@code auth = off}, for labs): then every
     * check answers {@link #unchecked()} and doors must say so where a user sees it.
     */
    boolean enforced();

    /** The caller every check answers when authentication is off: all roles, named {@code anonymous}. */
    Caller unchecked();

    /** Checks a user name and password against the user store. */
    Verdict checkPassword(String user, String password, String clientAddress);

    /** Checks a bearer token (made by {@link Accounts#createToken}), a session, or the device's own token. */
    Verdict checkToken(String token, String clientAddress);

    /** Counts a failure seen by a door that checks credentials itself (RTSP Digest), under the same limit. */
    void recordFailure(String door, String clientAddress);

    /** True while {@code clientAddress} is refused for too many failures. */
    boolean throttled(String clientAddress);

    /** Opens a browser session for a caller who logged in with a password; the value goes into a cookie. */
    Session openSession(Caller caller);

    /** Ends a session (logout); later checks of its value answer {@link Verdict.Reason#REVOKED}. */
    void closeSession(String sessionValue);

    /**
     * RTSP Digest needs a per-user secret the server can check a response against: MD5 of
     * {@code user:pistream:password} (RFC 2617 "HA1"), kept in an owner-only file and made whenever a password is
     * set through {@link Accounts} or proved at a login. Keyed by user name; only users who hold a role.
     */
    Map<String, DigestSecret> digestSecrets();

    /** Runs {@code listener} after users, roles or passwords change, until the returned handle is closed. */
    AutoCloseable onAccountsChanged(Runnable listener);

    /** A token for the device's own programs (its WebRTC producer and receiver): roles viewer and talk. */
    String deviceToken();

    /** A browser session: the cookie value and how long it lasts. */
    record Session(String value, java.time.Instant expires) {
    }

    /** The RTSP Digest secret of one user, with the user's roles. */
    record DigestSecret(String ha1, java.util.Set<Role> roles) {
    }
}
