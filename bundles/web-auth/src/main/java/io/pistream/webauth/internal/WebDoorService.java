package io.pistream.webauth.internal;

import java.util.Optional;

import javax.servlet.http.HttpServletRequest;

import io.pistream.api.security.AccessControl;
import io.pistream.api.security.Caller;
import io.pistream.webauth.WebDoor;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door for servlets: the caller {@link AuthFilter} left in the request, or, when no filter ran, the caller the
 * filter would have admitted. A component of its own, so that servlets do not restart with the filter.
 */
@Component(service = WebDoor.class, configurationPid = "io.pistream.webauth")
public final class WebDoorService implements WebDoor {

    private static final Logger LOG = LoggerFactory.getLogger(WebDoorService.class);

    private final HttpDoor door;

    @Activate
    public WebDoorService(@Reference AccessControl access, WebAuthConfig config) {
        this.door = HttpDoor.configured(access, config);
    }

    @Override
    public Optional<Caller> callerOf(HttpServletRequest request) {
        if (request.getAttribute(AccessControl.CALLER_ATTRIBUTE) instanceof Caller caller) {
            return Optional.of(caller);
        }
        if (request.getAttribute(AuthFilter.PASSED_ATTRIBUTE) != null) {
            return Optional.empty(); // the filter ran and found no caller: a public path
        }
        LOG.debug("No filter ran for {} {} from {} (the web server was changing its filters): deciding here",
                request.getMethod(), request.getRequestURI(), request.getRemoteAddr());
        request.setAttribute(AuthFilter.PASSED_ATTRIBUTE, Boolean.TRUE);
        if (door.decide(AuthFilter.describe(request)) instanceof HttpDoor.Serve serve && serve.caller() != null) {
            request.setAttribute(AccessControl.CALLER_ATTRIBUTE, serve.caller());
            return Optional.of(serve.caller());
        }
        return Optional.empty();
    }
}
