package io.pistream.metrics.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pistream.api.MediaHub;
import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Sources and their shared encoders, from the media hub's status. */
@Component(service = MetricsCollector.class)
public final class HubCollector implements MetricsCollector {

    private final MediaHub hub;

    @Activate
    public HubCollector(@Reference MediaHub hub) {
        this.hub = hub;
    }

    @Override
    public List<MetricSnapshot> collect() {
        return collect(hub.sources(), hub.streams());
    }

    static List<MetricSnapshot> collect(List<SourceStatus> sources, List<StreamStatus> streams) {
        Map<String, StreamStatus> running = new HashMap<>();
        streams.forEach(stream -> running.put(stream.sourceId(), stream));
        InfoSnapshot.Builder info = Snapshots.info("pistream_source", "A source known to the hub");
        GaugeSnapshot.Builder up = Snapshots.gauge("pistream_source_running",
                "1 while the source's capture runs (someone watches or it lingers)");
        GaugeSnapshot.Builder problem = Snapshots.gauge("pistream_source_problem",
                "1 when the source has a problem (its configuration or its last pipeline error, in label problem)");
        GaugeSnapshot.Builder fps = Snapshots.gauge("pistream_source_frames_per_second",
                "Raw frames (audio buffers) captured per second over the last seconds");
        CounterSnapshot.Builder frames = Snapshots.counter("pistream_source_frames",
                "Raw frames (audio buffers) captured while the capture ran");
        CounterSnapshot.Builder restarts = Snapshots.counter("pistream_source_restarts",
                "Times the capture was rebuilt after an error");
        GaugeSnapshot.Builder subscribers = Snapshots.gauge("pistream_encoder_subscribers",
                "Outputs sharing the encoder");
        GaugeSnapshot.Builder bitrate = Snapshots.gauge("pistream_encoder_bytes_per_second",
                "Encoded bytes per second over the last seconds");
        CounterSnapshot.Builder buffers = Snapshots.counter("pistream_encoder_buffers",
                "Encoded buffers (access units) produced");
        CounterSnapshot.Builder keyFrames = Snapshots.counter("pistream_encoder_key_frames",
                "Key frames among the encoded buffers");
        CounterSnapshot.Builder bytes = Snapshots.counter("pistream_encoder_bytes", "Encoded bytes produced");
        InfoSnapshot.Builder encoders = Snapshots.info("pistream_encoder", "The encoder running for a codec");
        for (SourceStatus source : sources) {
            String id = source.id();
            StreamStatus stream = running.get(id);
            info.dataPoint(Snapshots.labels("source", id, "kind", source.kind().name().toLowerCase(Locale.ROOT),
                    "name", Snapshots.text(source.name())));
            up.dataPoint(Snapshots.point(Snapshots.bool(source.running()), "source", id));
            problem.dataPoint(Snapshots.point(Snapshots.bool(source.problem() != null), "source", id, "problem",
                    Snapshots.text(source.problem())));
            fps.dataPoint(Snapshots.point(stream == null ? 0 : stream.framesPerSecond(), "source", id));
            frames.dataPoint(Snapshots.count(stream == null ? 0 : stream.frames(), "source", id));
            restarts.dataPoint(Snapshots.count(stream == null ? 0 : stream.restarts(), "source", id));
            if (stream == null) {
                continue;
            }
            for (StreamStatus.EncoderStatus encoder : stream.encoders()) {
                String[] labels = labels(id, encoder);
                String[] described = Arrays.copyOf(labels, labels.length + 2);
                described[labels.length] = "encoder";
                described[labels.length + 1] = Snapshots.text(encoder.encoder());
                encoders.dataPoint(Snapshots.labels(described));
                subscribers.dataPoint(Snapshots.point(encoder.subscribers(), labels));
                bitrate.dataPoint(Snapshots.point(encoder.bitrate() / 8.0, labels));
                buffers.dataPoint(Snapshots.count(encoder.buffers(), labels));
                keyFrames.dataPoint(Snapshots.count(encoder.keyFrames(), labels));
                bytes.dataPoint(Snapshots.count(encoder.bytes(), labels));
            }
        }
        return List.of(info.build(), up.build(), problem.build(), fps.build(), frames.build(), restarts.build(),
                encoders.build(), subscribers.build(), bitrate.build(), buffers.build(), keyFrames.build(),
                bytes.build());
    }

    /**
     * A lower tier of the quality ladder is a series of its own (label tier); the top keeps the labels it had
     * before tiers existed, so that its series go on.
     */
    private static String[] labels(String source, StreamStatus.EncoderStatus encoder) {
        if (encoder.tier() == 0) {
            return new String[] {"source", source, "codec", encoder.codec()};
        }
        return new String[] {"source", source, "codec", encoder.codec(), "tier", String.valueOf(encoder.tier()),
                "size", encoder.width() + "x" + encoder.height()};
    }
}
