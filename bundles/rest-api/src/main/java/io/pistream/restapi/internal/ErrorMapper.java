package io.pistream.restapi.internal;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure leaves the API as JSON: the refusals resources throw, what the JAX-RS runtime refuses itself (an
 * unknown path, a wrong method or media type) and, without details, anything unexpected.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName("pistream-api-errors")
@JaxrsApplicationSelect("(osgi.jaxrs.name=" + ApiApplication.NAME + ")")
@JSONRequired
public final class ErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    @Override
    public Response toResponse(Throwable failure) {
        return answer(failure);
    }

    static Response answer(Throwable failure) {
        if (failure instanceof ApiError error) {
            return json(error.status(), error.body());
        }
        if (failure instanceof WebApplicationException web) {
            int status = web.getResponse() == null ? 500 : web.getResponse().getStatus();
            Response.StatusType type = Response.Status.fromStatusCode(status);
            String message = switch (status) {
                case 404 -> "No such resource";
                case 405 -> "Method not allowed here";
                case 406 -> "Cannot answer in the media type asked for";
                case 415 -> "Send application/json";
                default -> type == null ? "Refused" : type.getReasonPhrase();
            };
            Response.ResponseBuilder reply = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                    .header("Cache-Control", "no-store")
                    .entity(new ApiError.ErrorBody(message, null, null, null));
            if (status == 405 && web.getResponse().getHeaderString("Allow") != null) {
                reply.header("Allow", web.getResponse().getHeaderString("Allow"));
            }
            return reply.build();
        }
        LOG.error("The API failed unexpectedly", failure);
        return json(500, new ApiError.ErrorBody("Internal error; see the device's log", null, null, null));
    }

    static Response json(int status, ApiError.ErrorBody body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                .entity(body).build();
    }
}
