package io.pistream.restapi.internal;

import javax.servlet.http.HttpServletRequest;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;

/**
 * Role checks. The HTTP door ({@code pistream-auth} filter, or {@link CallerCheck} when the filter was not in the
 * chain) proves who the caller is and leaves the {@link Caller} in the request; without one nothing is served.
 */
final class Access {

    private Access() {
    }

    static Caller caller(HttpServletRequest request) {
        Object caller = request == null ? null : request.getAttribute(AccessControl.CALLER_ATTRIBUTE);
        if (caller instanceof Caller known) {
            return known;
        }
        throw ApiError.unauthenticated();
    }

    /** The caller, if they hold one of {@code roles}; else 403 naming the first. */
    static Caller require(HttpServletRequest request, Role... roles) {
        Caller caller = caller(request);
        for (Role role : roles) {
            if (caller.may(role)) {
                return caller;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Role role : roles) {
            names.append(names.length() == 0 ? "" : " or ").append(role.id());
        }
        throw ApiError.forbidden(names.toString());
    }
}
