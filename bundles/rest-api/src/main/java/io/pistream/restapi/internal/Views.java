package io.pistream.restapi.internal;

import java.util.List;

import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;
import io.pistream.api.Tier;
import io.pistream.webrtc.SessionStatus;

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

    /**
     * A WebRTC session with its link: loss between the last two readings, the viewer's estimate (-1: none), and the
     * tier of the quality ladder it gets (null for a session without video) with why.
     */
    public record Session(String sessionId, String role, String peerId, String codecs, String state, long bitrate,
            long packetsLost, double rttMillis, long startedMillis, long firstMediaMillis, String endReason,
            double lossPercent, long estimateKbps, Integer tier, int tierWidth, int tierHeight, int tierKbps,
            String tierReason) {

        static Session of(SessionStatus s) {
            Tier tier = s.tier();
            return new Session(s.sessionId(), s.role(), s.peerId(), s.codecs(), s.state(), s.bitrate(),
                    s.packetsLost(), s.rttMillis(), s.startedMillis(), s.firstMediaMillis(), s.endReason(),
                    Math.round(s.lossPercent() * 10) / 10.0, s.estimateKbps(), tier == null ? null : tier.index(),
                    tier == null ? 0 : tier.width(), tier == null ? 0 : tier.height(),
                    tier == null ? 0 : tier.bitrateKbps(), s.tierReason());
        }
    }

    public record Restarted(String sourceId, boolean restarted) {
    }

    public record Spoken(String sourceId, int characters) {
    }
}
