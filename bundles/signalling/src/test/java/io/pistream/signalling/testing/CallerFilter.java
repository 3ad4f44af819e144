package io.pistream.signalling.testing;

import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;
import io.pistream.api.security.Verdict;
import io.pistream.webauth.WebDoor;

/**
 * Stands in for the HTTP door in tests: checks {@code Authorization: Bearer} or {@code ?token=} with
 * {@link AccessControl#checkToken} and leaves the caller in {@link AccessControl#CALLER_ATTRIBUTE}, as the real
 * filter does (with authentication off, {@link AccessControl#unchecked()}). Unlike the real filter it passes
 * refused requests on without a caller, so that what the tests see is the signalling server's own refusal: it must
 * hold even behind a door that let something through.
 */
public final class CallerFilter implements Filter {

    /** The door as the signalling server asks it behind this filter: the caller the filter left, if any. */
    public static final WebDoor DOOR = request -> Optional.ofNullable(
            request.getAttribute(AccessControl.CALLER_ATTRIBUTE) instanceof Caller caller ? caller : null);

    private static final String BEARER = "bearer ";

    private final AccessControl accessControl;

    public CallerFilter(AccessControl accessControl) {
        this.accessControl = accessControl;
    }

    @Override
    public void init(FilterConfig config) {
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!accessControl.enforced()) {
            request.setAttribute(AccessControl.CALLER_ATTRIBUTE, accessControl.unchecked());
        } else if (request instanceof HttpServletRequest http) {
            String token = http.getParameter("token");
            String authorization = http.getHeader("Authorization");
            if (authorization != null && authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
                token = authorization.substring(BEARER.length()).trim();
            }
            if (token != null && accessControl.checkToken(token, request.getRemoteAddr())
                    instanceof Verdict.Allowed allowed) {
                request.setAttribute(AccessControl.CALLER_ATTRIBUTE, allowed.caller());
            }
        }
        chain.doFilter(request, response);
    }

    @Override
    public void destroy() {
    }
}
