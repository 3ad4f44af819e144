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
        // the link of the viewers, also without session ids: how many on each tier, and the worst loss and round trip
        Map<Integer, Integer> viewersByTier = new TreeMap<>();
        Map<String, Double> worstLoss = new TreeMap<>();
        Map<String, Double> worstRtt = new TreeMap<>();
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
                if (!"STREAMING".equals(session.state())) {
                    continue;
                }
                worstLoss.merge(role, session.lossPercent() / 100, Math::max);
                worstRtt.putIfAbsent(role, 0.0);
                if (session.rttMillis() >= 0) {
                    worstRtt.merge(role, session.rttMillis() / 1000, Math::max);
                }
                if (session.tier() != null && "producer".equals(role)) {
                    viewersByTier.merge(session.tier().index(), 1, Integer::sum);
                }
            }
        }
        GaugeSnapshot.Builder count = Snapshots.gauge("pistream_webrtc_sessions",
                "Running WebRTC sessions of the device's producer (viewers) and receiver, by state");
        sessions.forEach((role, byState) -> byState.forEach((state, n) ->
                count.dataPoint(Snapshots.point(n, "role", role, "state", state.toLowerCase(java.util.Locale.ROOT)))));
        GaugeSnapshot.Builder bitrate = Snapshots.gauge("pistream_webrtc_bytes_per_second",
                "Bytes per second sent (producer) or received (receiver) over all running sessions");
        bitrates.forEach((role, bits) -> bitrate.dataPoint(Snapshots.point(bits / 8.0, "role", role)));
        GaugeSnapshot.Builder tiers = Snapshots.gauge("pistream_webrtc_viewers_by_tier",
                "Streaming viewers of the producer on each tier of the quality ladder (0: the top)");
        viewersByTier.forEach((tier, n) -> tiers.dataPoint(Snapshots.point(n, "tier", Integer.toString(tier))));
        GaugeSnapshot.Builder loss = Snapshots.gauge("pistream_webrtc_worst_loss_ratio",
                "The highest share of packets lost between two readings among the streaming sessions");
        worstLoss.forEach((role, ratio) -> loss.dataPoint(Snapshots.point(ratio, "role", role)));
        GaugeSnapshot.Builder rtt = Snapshots.gauge("pistream_webrtc_worst_rtt_seconds",
                "The longest round trip among the streaming sessions (0 while none is known)");
        worstRtt.forEach((role, seconds) -> rtt.dataPoint(Snapshots.point(seconds, "role", role)));
        return List.of(count.build(), bitrate.build(), tiers.build(), loss.build(), rtt.build());
    }
}
