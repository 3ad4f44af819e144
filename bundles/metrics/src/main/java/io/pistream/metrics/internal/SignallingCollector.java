package io.pistream.metrics.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.pistream.signalling.SignallingServer;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Signalling peers, sessions and refusals, while the signalling server is installed. */
@Component(service = MetricsCollector.class)
public final class SignallingCollector implements MetricsCollector {

    private final SignallingServer signalling;

    @Activate
    public SignallingCollector(@Reference SignallingServer signalling) {
        this.signalling = signalling;
    }

    @Override
    public List<MetricSnapshot> collect() {
        return collect(signalling);
    }

    static List<MetricSnapshot> collect(SignallingServer signalling) {
        CounterSnapshot.Builder refusals = Snapshots.counter("pistream_signalling_refusals",
                "Handshakes, messages and clients the signalling server refused, by reason");
        for (Map.Entry<String, Long> refusal : signalling.refusals().entrySet()) {
            refusals.dataPoint(Snapshots.count(refusal.getValue(), "reason",
                    refusal.getKey().toLowerCase(Locale.ROOT)));
        }
        return List.of(
                Snapshots.gauge("pistream_signalling_peers", "Peers connected to the signalling server")
                        .dataPoint(Snapshots.point(signalling.peers().size())).build(),
                Snapshots.gauge("pistream_signalling_sessions", "Open signalling sessions")
                        .dataPoint(Snapshots.point(signalling.sessions().size())).build(),
                refusals.build());
    }
}
