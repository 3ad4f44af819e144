package io.pistream.rtsp.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.sun.jna.Pointer;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.rtsp.internal.jna.RtspLib;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users who may log in over RTSP, handed from {@link AccessControl} to gst-rtsp-server's {@code GstRTSPAuth}
 * objects (one per listening server), which check RFC 2617 Digest themselves.
 *
 * <p>{@code gst_rtsp_auth_add_digest} wants clear-text passwords, which the device never keeps; what AccessControl
 * keeps is each user's HA1 = MD5(user:pistream:password), and {@code gst_rtsp_auth_parse_htdigest} takes exactly
 * that, from a file. So each user's line goes into an owner-only temporary file, which is parsed with a token
 * carrying the user's roles and name and deleted as soon as every user is loaded. Users who are gone are removed
 * from each auth; a changed password or role replaces the entry, so new requests see it at once.
 *
 * <p>With authentication switched off ({@link AccessControl#enforced()} false) callers without credentials get the
 * token of {@link AccessControl#unchecked()}: every mount is served to anyone, as before there were users.
 *
 * <p>Tokens outlive their use: gst-rtsp-server hands a request the token of the matching entry without a reference
 * of its own, so replacing or removing an entry while a request of that user is under way would free the token
 * under it. Each token (one per user and set of roles) is therefore kept here until {@link #close()}: an unchanged
 * user gets the same token back, and one that changed leaves its old token alive. They are a few bytes each.
 */
final class DigestLogins implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DigestLogins.class);

    /** Token field naming the user, for logs and the shell. */
    static final String TOKEN_USER = "pistream.user";

    private static final Pattern HA1 = Pattern.compile("^[0-9a-fA-F]{32}$");
    /**
     * What an htdigest line and a Digest {@code username="..."} can carry: no separator, quote, backslash or
     * control character.
     */
    private static final Pattern USER_NAME = Pattern.compile("^[^:\"\\\\\\p{Cntrl}]{1,128}$");

    private final AccessControl access;
    /** The auths served, with the users loaded into each. Guarded by this. */
    private final Map<Pointer, Set<String>> loaded = new LinkedHashMap<>();
    /** Our reference to every token handed to an auth, by role and user. Guarded by this. */
    private final Map<String, Pointer> tokens = new HashMap<>();
    /** What the last load saw, for logging changes only. Guarded by this. */
    private Boolean enforced;
    private Set<String> lastUsers = Set.of();
    /** Loads done, for tests that wait for a change to arrive. Guarded by this. */
    private int loads;

    DigestLogins(AccessControl access) {
        this.access = access;
    }

    /** Configures a new auth (realm, Digest only: never Basic) and loads the current users into it. */
    synchronized void attach(Pointer auth) {
        RtspLib.Server.gst_rtsp_auth_set_realm(auth, AccessControl.REALM);
        RtspLib.Server.gst_rtsp_auth_set_supported_methods(auth, RtspLib.AUTH_DIGEST);
        loaded.put(auth, new HashSet<>());
        load(List.of(auth));
    }

    /** Stops updating {@code auth} (its server is stopping). */
    synchronized void detach(Pointer auth) {
        loaded.remove(auth);
    }

    /** Reads the users again and updates every auth; after {@link AccessControl#onAccountsChanged}. */
    synchronized void refresh() {
        load(new ArrayList<>(loaded.keySet()));
    }

    /** Whether credentials were required at the last load. */
    synchronized boolean enforced() {
        return enforced == null || enforced;
    }

    /** The users loaded at the last load. */
    synchronized Set<String> users() {
        return lastUsers;
    }

    /** How many times the users were loaded. */
    synchronized int loads() {
        return loads;
    }

    /** Stops updating; the auths keep their own references to the tokens they hold. */
    @Override
    public synchronized void close() {
        loaded.clear();
        for (Pointer token : tokens.values()) {
            LibGst.gst_mini_object_unref(token);
        }
        tokens.clear();
    }

    private void load(List<Pointer> auths) {
        if (auths.isEmpty()) {
            return;
        }
        boolean enforcedNow;
        Map<String, AccessControl.DigestSecret> secrets;
        Caller anonymous;
        try {
            enforcedNow = access.enforced();
            secrets = access.digestSecrets();
            anonymous = access.unchecked();
        } catch (RuntimeException e) {
            LOG.error("RTSP: cannot read the users' Digest secrets ({}); logins stay as they were", e.toString());
            return;
        }
        Map<String, Entry> users = usable(secrets);
        try {
            loadUsers(auths, users);
        } catch (IOException e) {
            LOG.error("RTSP: cannot hand the users' Digest secrets to the server ({}); logins stay as they were",
                    e.toString());
            return;
        }
        for (Pointer auth : auths) {
            Set<String> before = loaded.get(auth);
            for (String user : before) {
                if (!users.containsKey(user)) {
                    RtspLib.Server.gst_rtsp_auth_remove_digest(auth, user);
                }
            }
            loaded.put(auth, new HashSet<>(users.keySet()));
            setDefaultToken(auth, enforcedNow ? null : anonymous);
        }
        report(enforcedNow, users.keySet());
    }

    private record Entry(String ha1, String role) {
    }

    /** The secrets gst-rtsp-server can take; others are logged and left out. */
    private static Map<String, Entry> usable(Map<String, AccessControl.DigestSecret> secrets) {
        Map<String, Entry> users = new TreeMap<>();
        for (Map.Entry<String, AccessControl.DigestSecret> secret : secrets.entrySet()) {
            String user = secret.getKey();
            AccessControl.DigestSecret value = secret.getValue();
            String role = value == null || value.roles() == null ? null : RtspRoles.tokenRole(value.roles());
            if (user == null || !USER_NAME.matcher(user).matches()) {
                LOG.warn("RTSP: user '{}' cannot log in over RTSP: a Digest user name cannot hold ':', '\"', '\\' "
                        + "or control characters", ServerSettings.shorten(user));
            } else if (value == null || value.ha1() == null || !HA1.matcher(value.ha1()).matches()) {
                LOG.warn("RTSP: user '{}' cannot log in over RTSP: no valid Digest secret (set the password again)",
                        user);
            } else if (role != null) {
                users.put(user, new Entry(value.ha1().toLowerCase(Locale.ROOT), role));
            }
        }
        return users;
    }

    private void loadUsers(List<Pointer> auths, Map<String, Entry> users) throws IOException {
        if (users.isEmpty()) {
            return;
        }
        // Owner-only from its creation; it holds one user's line at a time and lives only for this loop.
        Path file = Files.createTempFile("pistream-rtsp-", ".htdigest",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            for (Map.Entry<String, Entry> user : users.entrySet()) {
                Files.write(file, (user.getKey() + ":" + AccessControl.REALM + ":" + user.getValue().ha1() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                Pointer token = token(user.getValue().role(), user.getKey());
                for (Pointer auth : auths) {
                    if (!RtspLib.Server.gst_rtsp_auth_parse_htdigest(auth, file.toString(), token)) {
                        LOG.error("RTSP: gst-rtsp-server refused the Digest secret of user '{}'", user.getKey());
                    }
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** The token of a role and a user name, kept until {@link #close()} (transfer none). */
    private Pointer token(String role, String user) {
        return tokens.computeIfAbsent(role + "\n" + user, key -> {
            Pointer token = RtspLib.Server.gst_rtsp_token_new_empty();
            RtspLib.Server.gst_rtsp_token_set_string(token, RtspLib.TOKEN_MEDIA_FACTORY_ROLE, role);
            RtspLib.Server.gst_rtsp_token_set_string(token, TOKEN_USER, user);
            return token;
        });
    }

    /** The user a token names, or null. */
    static String user(Pointer token) {
        return token == null ? null : RtspLib.Server.gst_rtsp_token_get_string(token, TOKEN_USER);
    }

    private void setDefaultToken(Pointer auth, Caller caller) {
        String role = caller == null ? null : RtspRoles.tokenRole(caller.roles());
        RtspLib.Server.gst_rtsp_auth_set_default_token(auth, role == null ? null : token(role, caller.name()));
    }

    private void report(boolean enforcedNow, Set<String> users) {
        if (enforced == null || enforced != enforcedNow) {
            if (enforcedNow) {
                LOG.info("RTSP: players log in with Digest (realm {}); {} user(s) may", AccessControl.REALM,
                        users.size());
            } else {
                LOG.warn("RTSP: authentication is switched off (auth = off): anyone who reaches the RTSP port "
                        + "can watch every mount, launch= mounts included");
            }
        } else if (!users.equals(lastUsers)) {
            LOG.info("RTSP: users changed; {} user(s) may log in", users.size());
        }
        enforced = enforcedNow;
        lastUsers = Set.copyOf(users);
        loads++;
    }
}
