package io.pistream.restapi.internal;

import java.time.Duration;

import javax.ws.rs.core.Response;

import io.pistream.api.snapshot.SnapshotException;
import io.pistream.api.snapshot.Snapshots;

/** A JPEG of a source, or the refusal its {@link SnapshotException.Reason} calls for. */
final class SnapshotAnswer {

    /** Capture start included: a source that is not running needs a second or two for its first picture. */
    static final Duration TIMEOUT = Duration.ofSeconds(8);

    private SnapshotAnswer() {
    }

    static Response answer(Snapshots snapshots, String sourceId, String width, String quality) {
        if (!Bodies.ID.matcher(sourceId).matches()) {
            throw ApiError.notFound("No source '" + printable(sourceId) + "'");
        }
        int wanted = Bodies.integer(width, "width", 1, Snapshots.MAX_WIDTH, 0);
        int jpegQuality = Bodies.integer(quality, "quality", 1, 100, Snapshots.DEFAULT_QUALITY);
        if (snapshots == null) {
            throw ApiError.needsFeature("Snapshots", "snapshot");
        }
        byte[] jpeg;
        try {
            jpeg = snapshots.jpeg(sourceId, wanted, jpegQuality, TIMEOUT);
        } catch (SnapshotException e) {
            throw refusal(e);
        }
        return Response.ok(jpeg, "image/jpeg").header("Cache-Control", "no-store")
                .header("Content-Length", jpeg.length).build();
    }

    static ApiError refusal(SnapshotException e) {
        int status = switch (e.reason()) {
            case UNKNOWN_SOURCE -> 404;
            case NOT_VIDEO, BAD_REQUEST -> 400;
            case UNAVAILABLE -> 503;
            case TIMEOUT -> 504;
        };
        return ApiError.of(status, e.getMessage(), e.reason().name());
    }

    /** An id from the path, shown back without control characters and not too long. */
    static String printable(String text) {
        String shown = text.replaceAll("\\p{Cntrl}", "?");
        return shown.length() > 64 ? shown.substring(0, 64) + "..." : shown;
    }
}
