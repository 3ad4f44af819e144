package io.pistream.restapi.internal;

import java.util.Set;

import javax.ws.rs.core.Application;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The pistream API at {@code /api/v1}. Its servlet must live in the default HTTP whiteboard context, where the
 * {@code pistream-auth} filter authenticates every request; left to itself the JAX-RS whiteboard would give the
 * application a context of its own, which no filter of ours covers.
 */
@Component(service = Application.class, property = {
    "osgi.http.whiteboard.context.select=(osgi.http.whiteboard.context.name=default)"})
@JaxrsApplicationBase(ApiApplication.BASE)
@JaxrsName(ApiApplication.NAME)
public final class ApiApplication extends Application {

    static final String NAME = "pistream-api";
    static final String BASE = "/api/v1";

    @Override
    public Set<Object> getSingletons() {
        // the resources and extensions join through the whiteboard
        return Set.of();
    }
}
