package io.pistream.restapi.internal;

import java.io.InputStream;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.api.MediaException;
import io.pistream.api.security.Role;
import io.pistream.audio.SpeechSource;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** {@code POST /sources/{id}/speech}: speaks a text through the device's speaker, which is talking back. */
@Component(service = Area.class, property = "area=speech")
@Produces(MediaType.APPLICATION_JSON)
public final class SpeechArea implements Area {

    /** What espeak says in a few tens of seconds; longer texts would hold the source for minutes. */
    static final int MAX_TEXT = 1000;

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<SpeechSource> speakers;

    @Override
    public Object resource() {
        return this;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response speak(@Context HttpServletRequest request, @PathParam("id") String id, InputStream body) {
        Access.require(request, Role.TALK, Role.ADMIN);
        SpeechSource speaker = null;
        for (SpeechSource candidate : speakers) {
            if (candidate.id().equals(id)) {
                speaker = candidate;
            }
        }
        if (speaker == null) {
            throw ApiError.notFound("No text-to-speech source '" + SnapshotAnswer.printable(id) + "'");
        }
        JsonNode json = Bodies.object(body);
        Bodies.only(json, "text");
        String text = Bodies.text(json, "text", true, MAX_TEXT);
        try {
            speaker.say(text);
        } catch (MediaException e) {
            // not running (nobody would hear it) or synthesis failed: the request was fine, the source is not
            throw ApiError.conflict(e.getMessage());
        }
        return Response.status(202).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new Views.Spoken(id, text.length())).build();
    }
}
