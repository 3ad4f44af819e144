package io.pistream.metrics.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.WebRtcStatus;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** WebRTC sessions of the device's producer and receiver, while one of them is installed. */
@Component(service = MetricsCollector.class)
public final class WebRtcCollector implements MetricsCollector {

    private final List<WebRtcStatus> peers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC)
    void addPeer(WebRtcStatus peer) {
        peers.add(peer);
    }

    void removePeer(WebRtcStatus peer) {
        peers.remove(peer);
    }

    @Override
    public List<MetricSnapshot> collect() {
        return collect(peers);
    }

    static List<MetricSnapshot> collect(List<WebRtcStatus> peers) {
        // per role and state, not per session: session ids would make a new series for every viewer
        Map<String, Map<String, Integer>> sessions = new TreeMap<>();
        Map<String, Long> bitrates = new TreeMap<>();
        for (WebRtcStatus peer : peers) {
            String role = peer.role();
            Map<String, Integer> byState = sessions.computeIfAbsent(role, key -> new TreeMap<>());
            for (String state : List.of("NEGOTIATING", "CONNECTING", "STREAMING")) {
                byState.putIfAbsent(state, 0);
            }
            bitrates.putIfAbsent(role, 0L);
            for (SessionStatus session : peer.sessions()) {
                if ("ENDED".equals(session.state())) {
                    continue; // kept in the status for a while, gone for metrics
                }
                byState.merge(session.state(), 1, Integer::sum);
                bitrates.merge(role, session.bitrate(), Long::sum);
            }
        }
        GaugeSnapshot.Builder count = Snapshots.gauge("pistream_webrtc_sessions",
                "Running WebRTC sessions of the device's producer (viewers) and receiver, by state");
        sessions.forEach((role, byState) -> byState.forEach((state, n) ->
                count.dataPoint(Snapshots.point(n, "role", role, "state", state.toLowerCase(java.util.Locale.ROOT)))));
        GaugeSnapshot.Builder bitrate = Snapshots.gauge("pistream_webrtc_bytes_per_second",
                "Bytes per second sent (producer) or received (receiver) over all running sessions");
        bitrates.forEach((role, bits) -> bitrate.dataPoint(Snapshots.point(bits / 8.0, "role", role)));
        return List.of(count.build(), bitrate.build());
    }
}
