package io.pistream.restapi.internal;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The runtime's own refusals (unknown path, wrong method or media type) as JSON: a mapper of exactly this type,
 * because the runtime's built-in one for {@link WebApplicationException} is nearer than {@link ErrorMapper}'s.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("pistream-api-web-errors")
@JaxrsApplicationSelect("(osgi.jaxrs.name=" + ApiApplication.NAME + ")")
@JSONRequired
public final class WebErrorMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException failure) {
        return ErrorMapper.answer(failure);
    }
}
