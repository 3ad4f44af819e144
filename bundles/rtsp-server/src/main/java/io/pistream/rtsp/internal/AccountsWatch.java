package io.pistream.rtsp.internal;

import io.pistream.api.security.AccessControl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows changes of the users, passwords and roles: new requests see them, and players whose user is gone are
 * disconnected. Applied on the control thread, never on the caller's.
 */
final class AccountsWatch {

    private static final Logger LOG = LoggerFactory.getLogger(AccountsWatch.class);

    private final AccessControl access;
    private final ControlThread control;
    private final DigestLogins logins;
    private final Players players;
    private AutoCloseable registration; // guarded by the server's lifecycle lock

    AccountsWatch(AccessControl access, ControlThread control, DigestLogins logins, Players players) {
        this.access = access;
        this.control = control;
        this.logins = logins;
        this.players = players;
    }

    /** Starts following, unless an earlier attempt to start the server did. */
    void start() {
        if (registration != null) {
            return;
        }
        try {
            registration = access.onAccountsChanged(() -> control.execute(this::changed));
        } catch (RuntimeException e) {
            LOG.error("RTSP: cannot follow changes of the users ({}); they apply after a restart", e.toString());
        }
    }

    void close() {
        if (registration != null) {
            try {
                registration.close();
            } catch (Exception e) {
                LOG.debug("RTSP: stop following the users", e);
            }
            registration = null;
        }
    }

    private void changed() {
        logins.refresh();
        if (logins.enforced()) {
            players.disconnectUsersNotIn(logins.users());
        }
    }
}
