package io.pistream.restapi.internal;

import java.util.List;

import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;

/** What the API answers, in the shapes openapi.json describes; built from the services' own records. */
public final class Views {

    private Views() {
    }

    /**
     * A source and whether it can run: {@code problem} says why it is refused (no device, bad configuration),
     * {@code lastError} what made its running pipeline fail last.
     */
    public record Source(String id, String kind, String name, String caps, boolean running, String problem,
            String lastError, int restarts, String snapshot) {

        static Source of(SourceStatus source, StreamStatus stream) {
            String kind = source.kind() == null ? null : source.kind().name().toLowerCase(java.util.Locale.ROOT);
            return new Source(source.id(), kind, source.name(), source.rawCaps(), source.running(), source.problem(),
                    stream == null ? null : stream.lastError(), stream == null ? 0 : stream.restarts(),
                    "video".equals(kind) ? ApiApplication.BASE + "/sources/" + source.id() + "/snapshot.jpg" : null);
        }
    }

    public record Stream(String sourceId, String state, int restarts, String lastError, List<Encoder> encoders) {

        static Stream of(StreamStatus stream) {
            return new Stream(stream.sourceId(), stream.state(), stream.restarts(), stream.lastError(),
                    stream.encoders().stream().map(e -> new Encoder(e.codec(), e.encoder(), e.subscribers(),
                            e.buffers(), e.bitrate(), e.caps(), e.tier(), e.width(), e.height(), e.targetKbps()))
                            .toList());
        }
    }

    /** One encoded branch: a codec at a tier of the quality ladder (0: the top, targetKbps 0: the encoder's). */
    public record Encoder(String codec, String encoder, int subscribers, long buffers, long bitrate, String caps,
            int tier, int width, int height, int targetKbps) {
    }

    public record Restarted(String sourceId, boolean restarted) {
    }

    public record Spoken(String sourceId, int characters) {
    }
}
