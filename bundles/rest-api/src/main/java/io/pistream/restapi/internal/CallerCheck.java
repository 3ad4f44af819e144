package io.pistream.restapi.internal;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Context;

import io.pistream.webauth.WebDoor;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * Asks the HTTP door who the caller is before any resource runs, so that {@link Access} finds the caller in the
 * request even when the door's filter was not in the chain (see {@link WebDoor}).
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName("pistream-api-caller")
@JaxrsApplicationSelect("(osgi.jaxrs.name=" + ApiApplication.NAME + ")")
@PreMatching
public final class CallerCheck implements ContainerRequestFilter {

    private final WebDoor door;

    /** The request being filtered: the JAX-RS runtime injects a proxy to the current one. */
    @Context
    private HttpServletRequest request;

    @Activate
    public CallerCheck(@Reference WebDoor door) {
        this.door = door;
    }

    @Override
    public void filter(ContainerRequestContext context) {
        door.callerOf(request); // leaves the caller in the request, where Access reads it
    }
}
