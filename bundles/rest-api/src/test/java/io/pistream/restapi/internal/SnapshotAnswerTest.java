package io.pistream.restapi.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.ws.rs.core.Response;

import io.pistream.api.snapshot.SnapshotException;
import io.pistream.api.snapshot.SnapshotException.Reason;
import io.pistream.api.snapshot.Snapshots;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SnapshotAnswerTest {

    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9};

    /** Answers a picture for "camera", and the refusal a real implementation gives for the others. */
    static final class StandIn implements Snapshots {
        final List<String> asked = new ArrayList<>();
        Reason refuse;

        @Override
        public byte[] jpeg(String sourceId, int width, int quality, Duration timeout) throws SnapshotException {
            asked.add(sourceId + " " + width + " " + quality);
            if (refuse != null) {
                throw new SnapshotException(refuse, "refused: " + refuse);
            }
            return JPEG;
        }
    }

    @Test
    void aPictureIsAJpegNotCached() {
        StandIn snapshots = new StandIn();
        Response response = SnapshotAnswer.answer(snapshots, "camera", "320", "70");
        assertEquals(200, response.getStatus());
        assertEquals("image/jpeg", response.getMediaType().toString());
        assertEquals("no-store", response.getHeaderString("Cache-Control"));
        assertArrayEquals(JPEG, (byte[]) response.getEntity());
        assertEquals(List.of("camera 320 70"), snapshots.asked);
    }

    @Test
    void withoutParametersTheSourceWidthAndTheDefaultQuality() {
        StandIn snapshots = new StandIn();
        SnapshotAnswer.answer(snapshots, "camera", null, null);
        assertEquals(List.of("camera 0 " + Snapshots.DEFAULT_QUALITY), snapshots.asked);
    }

    @ParameterizedTest
    @CsvSource({"UNKNOWN_SOURCE,404", "NOT_VIDEO,400", "BAD_REQUEST,400", "UNAVAILABLE,503", "TIMEOUT,504"})
    void eachReasonHasItsStatusAndSaysWhy(Reason reason, int status) {
        StandIn snapshots = new StandIn();
        snapshots.refuse = reason;
        ApiError error = assertThrows(ApiError.class, () -> SnapshotAnswer.answer(snapshots, "camera", null, null));
        assertEquals(status, error.status());
        Response response = ErrorMapper.answer(error);
        assertEquals(status, response.getStatus());
        assertEquals("application/json", response.getMediaType().toString());
        ApiError.ErrorBody body = (ApiError.ErrorBody) response.getEntity();
        assertEquals(reason.name(), body.reason());
        assertEquals("refused: " + reason, body.error());
    }

    @Test
    void withoutTheServiceTheFeatureIsNamed() {
        ApiError error = assertThrows(ApiError.class, () -> SnapshotAnswer.answer(null, "camera", null, null));
        assertEquals(503, error.status());
        assertEquals("Snapshots need feature snapshot", error.body().error());
    }

    @ParameterizedTest
    @CsvSource({"width,0,", "width,3841,", "width,wide,", "width,-5,", "quality,,0", "quality,,101", "quality,,high"})
    void badParametersAreRefusedBeforeTheServiceIsAsked(String field, String width, String quality) {
        StandIn snapshots = new StandIn();
        ApiError error = assertThrows(ApiError.class,
                () -> SnapshotAnswer.answer(snapshots, "camera", width, quality));
        assertEquals(400, error.status());
        assertEquals(field, error.body().field());
        assertEquals(List.of(), snapshots.asked);
    }

    @Test
    void anIdThatCannotBeASourceIsNotPassedOn() {
        StandIn snapshots = new StandIn();
        ApiError error = assertThrows(ApiError.class,
                () -> SnapshotAnswer.answer(snapshots, "cam era\n! x", null, null));
        assertEquals(404, error.status());
        assertEquals(List.of(), snapshots.asked);
    }
}
