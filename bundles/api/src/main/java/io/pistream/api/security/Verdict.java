package io.pistream.api.security;

import java.util.Objects;

/** The answer of {@link AccessControl} to a caller's credentials. */
public sealed interface Verdict permits Verdict.Allowed, Verdict.Refused {

    /** The credentials hold; the door still checks the role it needs with {@link Caller#may(Role)}. */
    record Allowed(Caller caller) implements Verdict {
        public Allowed {
            Objects.requireNonNull(caller, "caller");
        }
    }

    /** The credentials do not hold; {@code message} says why in words a user can act on (never which part was wrong). */
    record Refused(Reason reason, String message) implements Verdict {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Why credentials were refused; HTTP doors answer 401, or 429 for {@link #THROTTLED}. */
    enum Reason {
        /** Nothing was presented. */
        MISSING,
        /** Unknown user, wrong password, or a token that is not ours. */
        INVALID,
        /** A token or session past its expiry. */
        EXPIRED,
        /** A token revoked by an administrator, or a session that logged out. */
        REVOKED,
        /** Too many failed attempts from this client address: refused whatever it sends, for a while. */
        THROTTLED
    }
}
