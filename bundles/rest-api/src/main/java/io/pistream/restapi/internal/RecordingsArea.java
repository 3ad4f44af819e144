package io.pistream.restapi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.List;

import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.api.MediaException;
import io.pistream.api.security.Role;
import io.pistream.recorder.Recorder;
import io.pistream.recorder.Recording;
import io.pistream.recorder.RecordingFiles;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code /recordings}: list, start, stop, download (with byte ranges) and delete. Files are found through the
 * recorder by recording id, never by a path taken from the request.
 */
@Component(service = Area.class, property = "area=recordings")
@Produces(MediaType.APPLICATION_JSON)
public final class RecordingsArea implements Area {

    private final Recorder recorder;
    private final RecordingFiles files;

    @Activate
    public RecordingsArea(@Reference Recorder recorder, @Reference RecordingFiles files) {
        this.recorder = recorder;
        this.files = files;
    }

    @Override
    public Object resource() {
        return this;
    }

    /** A recording as the API shows it: the file's name and size, not where it is. */
    public record View(String id, String video, String audio, String file, String started, String state,
            String error, long size, String download) {

        static View of(Recording recording) {
            long size;
            try {
                size = Files.size(recording.file());
            } catch (IOException e) {
                size = 0;
            }
            return new View(recording.id(), recording.video(), recording.audio(),
                    recording.file().getFileName().toString(), recording.started().toString(), recording.state(),
                    recording.error(), size, ApiApplication.BASE + "/recordings/" + recording.id() + "/file");
        }
    }

    @GET
    public List<View> list(@Context HttpServletRequest request) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        return recorder.recordings().stream().map(View::of).toList();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Response start(@Context HttpServletRequest request, InputStream body) {
        Access.require(request, Role.ADMIN);
        JsonNode json = Bodies.object(body);
        Bodies.only(json, "video", "audio");
        String video = Bodies.id(json, "video", true);
        String audio = Bodies.id(json, "audio", false);
        Recording started;
        try {
            started = recorder.start(video, audio);
        } catch (MediaException e) {
            throw ApiError.conflict(e.getMessage());
        }
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE)
                .header("Location", ApiApplication.BASE + "/recordings/" + started.id()).entity(View.of(started))
                .build();
    }

    @GET
    @Path("{id}")
    public View one(@Context HttpServletRequest request, @PathParam("id") String id) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        return View.of(find(id));
    }

    @POST
    @Path("{id}/stop")
    public View stop(@Context HttpServletRequest request, @PathParam("id") String id) {
        Access.require(request, Role.ADMIN);
        Recording recording = find(id);
        if (!"RECORDING".equals(recording.state())) {
            throw ApiError.conflict("Recording '" + id + "' is " + recording.state().toLowerCase() + " already");
        }
        try {
            return View.of(recorder.stop(recording.id()));
        } catch (MediaException e) {
            throw ApiError.conflict(e.getMessage());
        }
    }

    @DELETE
    @Path("{id}")
    public Response delete(@Context HttpServletRequest request, @PathParam("id") String id) {
        Access.require(request, Role.ADMIN);
        Recording recording = find(id);
        if ("RECORDING".equals(recording.state())) {
            throw ApiError.conflict("Recording '" + id + "' is still recording: stop it first");
        }
        try {
            files.delete(recording.id());
        } catch (MediaException e) {
            throw ApiError.conflict(e.getMessage());
        }
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/file")
    @Produces({"video/x-matroska", "video/mp4", MediaType.APPLICATION_JSON})
    public Response download(@Context HttpServletRequest request, @PathParam("id") String id,
            @HeaderParam("Range") String range) {
        Access.require(request, Role.VIEWER, Role.ADMIN);
        Recording recording = find(id);
        if ("RECORDING".equals(recording.state())) {
            throw ApiError.conflict("Recording '" + id + "' is still recording: stop it first");
        }
        java.nio.file.Path file = recording.file();
        long length;
        try {
            length = Files.size(file);
        } catch (NoSuchFileException e) {
            throw ApiError.notFound("The file of recording '" + id + "' is gone");
        } catch (IOException e) {
            throw ApiError.of(500, "Cannot read the file of recording '" + id + "'", null);
        }
        String type = file.getFileName().toString().endsWith(".mp4") ? "video/mp4" : "video/x-matroska";
        ByteRange.Slice slice = ByteRange.parse(range, length);
        if (slice == ByteRange.UNSATISFIABLE) {
            return Response.status(416).type(MediaType.APPLICATION_JSON_TYPE)
                    .header("Content-Range", "bytes */" + length)
                    .entity(new ApiError.ErrorBody("Range " + SnapshotAnswer.printable(range) + " is outside the "
                            + length + " bytes of the file", "Range", null, null)).build();
        }
        Response.ResponseBuilder reply = slice == null ? Response.ok() : Response.status(206)
                .header("Content-Range", "bytes " + slice.first() + "-" + slice.last() + "/" + length);
        long first = slice == null ? 0 : slice.first();
        long count = slice == null ? length : slice.last() - slice.first() + 1;
        StreamingOutput bytes = out -> copy(file, first, count, out);
        return reply.type(type).entity(bytes).header("Accept-Ranges", "bytes").header("Content-Length", count)
                .header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"").build();
    }

    private static void copy(java.nio.file.Path file, long first, long count, OutputStream out) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long done = 0;
            var target = Channels.newChannel(out);
            while (done < count) {
                long moved = channel.transferTo(first + done, count - done, target);
                if (moved <= 0) {
                    break;
                }
                done += moved;
            }
        }
    }

    private Recording find(String id) {
        if (Bodies.ID.matcher(id).matches()) {
            for (Recording recording : recorder.recordings()) {
                if (recording.id().equals(id)) {
                    return recording;
                }
            }
        }
        throw ApiError.notFound("No recording '" + SnapshotAnswer.printable(id) + "'");
    }
}
