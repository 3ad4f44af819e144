package io.pistream.restapi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import io.pistream.api.MediaHub;
import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;
import io.pistream.api.security.Role;
import io.pistream.api.snapshot.Snapshots;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JSONRequired;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * The root of the API: sources, streams, snapshots and the OpenAPI document, and the doors to the areas that
 * features bring ({@link Area}).
 */
@Component(service = ApiResource.class)
@JaxrsResource
@JaxrsApplicationSelect("(osgi.jaxrs.name=" + ApiApplication.NAME + ")")
@JSONRequired
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiResource {

    private final MediaHub hub;
    private final byte[] openApi;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Snapshots snapshots;

    /** Keyed by the {@code area} property of each Area component. */
    private final Map<String, Area> areas = new java.util.concurrent.ConcurrentHashMap<>();

    @Activate
    public ApiResource(@Reference MediaHub hub) throws IOException {
        this.hub = hub;
        try (InputStream in = ApiResource.class.getResourceAsStream("openapi.json")) {
            this.openApi = in.readAllBytes();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addArea(Area area, Map<String, Object> properties) {
        areas.put(String.valueOf(properties.get("area")), area);
    }

    void removeArea(Area area, Map<String, Object> properties) {
        areas.remove(String.valueOf(properties.get("area")), area);
    }

    @GET
    @Path("openapi.json")
    public Response openApi(@Context HttpServletRequest request) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        return Response.ok(openApi, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-cache").build();
    }

    @GET
    @Path("sources")
    public List<Views.Source> sources(@Context HttpServletRequest request) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        Map<String, StreamStatus> streams = streamsById();
        return hub.sources().stream().map(source -> Views.Source.of(source, streams.get(source.id()))).toList();
    }

    @GET
    @Path("sources/{id}")
    public Views.Source source(@Context HttpServletRequest request, @PathParam("id") String id) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        SourceStatus source = find(id);
        return Views.Source.of(source, streamsById().get(source.id()));
    }

    @POST
    @Path("sources/{id}/restart")
    public Views.Restarted restart(@Context HttpServletRequest request, @PathParam("id") String id) {
        Access.require(request, Role.ADMIN);
        SourceStatus source = find(id);
        if (!hub.restart(source.id())) {
            throw ApiError.conflict("Source '" + source.id() + "' is not running: nothing to restart");
        }
        return new Views.Restarted(source.id(), true);
    }

    @GET
    @Path("sources/{id}/snapshot.jpg")
    @Produces({"image/jpeg", MediaType.APPLICATION_JSON})
    public Response snapshot(@Context HttpServletRequest request, @PathParam("id") String id,
            @QueryParam("width") String width, @QueryParam("quality") String quality) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        return SnapshotAnswer.answer(snapshots, id, width, quality);
    }

    @GET
    @Path("streams")
    public List<Views.Stream> streams(@Context HttpServletRequest request) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        return hub.streams().stream().map(Views.Stream::of).toList();
    }

    @Path("sources/{id}/speech")
    public Object speech(@PathParam("id") String id) {
        if (!areas.containsKey("speech") && wired("io.pistream.audio.SpeechSource")) {
            // the audio feature is there, but no source of type tts is configured
            throw ApiError.notFound("No text-to-speech source '" + SnapshotAnswer.printable(id) + "'");
        }
        return area("speech", "Text-to-speech sources", "audio");
    }

    @Path("recordings")
    public Object recordings() {
        return area("recordings", "Recordings", "recorder");
    }

    @Path("rtsp")
    public Object rtsp() {
        return area("rtsp", "RTSP players", "rtsp");
    }

    @Path("webrtc")
    public Object webrtc() {
        return area("webrtc", "WebRTC sessions", "webrtc-producer");
    }

    @Path("signalling")
    public Object signalling() {
        return area("signalling", "Signalling peers", "signalling");
    }

    @Path("talkback")
    public Object talkback() {
        return area("talkback", "Talk-back sessions", "webrtc-receiver");
    }

    private Object area(String name, String what, String feature) {
        Area area = areas.get(name);
        if (area == null) {
            throw ApiError.needsFeature(what, feature);
        }
        return area.resource();
    }

    private static boolean wired(String className) {
        try {
            ApiResource.class.getClassLoader().loadClass(className);
            return true;
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            return false;
        }
    }

    private SourceStatus find(String id) {
        if (Bodies.ID.matcher(id).matches()) {
            for (SourceStatus source : hub.sources()) {
                if (source.id().equals(id)) {
                    return source;
                }
            }
        }
        throw ApiError.notFound("No source '" + SnapshotAnswer.printable(id) + "'");
    }

    private Map<String, StreamStatus> streamsById() {
        return hub.streams().stream().collect(Collectors.toMap(StreamStatus::sourceId, Function.identity(),
                (a, b) -> a));
    }
}
