package io.pistream.metrics.internal;

import java.util.List;

import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** RTSP viewers and mounts, while the RTSP server is installed. */
@Component(service = MetricsCollector.class)
public final class RtspCollector implements MetricsCollector {

    private final RtspServerStatus rtsp;

    @Activate
    public RtspCollector(@Reference RtspServerStatus rtsp) {
        this.rtsp = rtsp;
    }

    @Override
    public List<MetricSnapshot> collect() {
        return collect(rtsp);
    }

    static List<MetricSnapshot> collect(RtspServerStatus rtsp) {
        GaugeSnapshot.Builder clients = Snapshots.gauge("pistream_rtsp_mount_clients", "RTSP clients playing a mount");
        GaugeSnapshot.Builder medias = Snapshots.gauge("pistream_rtsp_mount_medias",
                "Media pipelines running for a mount");
        GaugeSnapshot.Builder serving = Snapshots.gauge("pistream_rtsp_mount_serving",
                "1 when the mount serves, 0 when it waits for a source or was refused (state label)");
        // by path: a configuration refused for a path that another serves must not make a second series
        java.util.Map<String, Long> bytesByPath = new java.util.TreeMap<>();
        for (RtspMount mount : rtsp.mounts()) {
            if (mount.path() != null && "hub".equals(mount.kind())) {
                bytesByPath.merge(mount.path(), rtsp.mediaBytes(mount.name()), Long::sum);
            }
            String path = Snapshots.text(mount.path());
            clients.dataPoint(Snapshots.point(mount.clients(), "path", path));
            medias.dataPoint(Snapshots.point(mount.medias(), "path", path));
            serving.dataPoint(Snapshots.point(Snapshots.bool("serving".equals(mount.state())), "path", path,
                    "state", Snapshots.text(mount.state())));
        }
        CounterSnapshot.Builder bytes = Snapshots.counter("pistream_rtsp_mount_media_bytes",
                "Encoded media bytes (video and audio as the encoders made them, before RTP packetisation) fed into "
                        + "the mount's RTSP media pipelines; a media shared by several players counts once, so this "
                        + "is not the bytes sent on the network; it starts again at 0 when the mount is reconfigured");
        bytesByPath.forEach((path, count) -> bytes.dataPoint(Snapshots.count(count, "path", path)));
        return List.of(
                Snapshots.gauge("pistream_rtsp_up", "1 while the RTSP server listens")
                        .dataPoint(Snapshots.point(Snapshots.bool(rtsp.running()))).build(),
                Snapshots.gauge("pistream_rtsp_connections", "Connected RTSP clients, playing or not")
                        .dataPoint(Snapshots.point(rtsp.clients().size())).build(),
                Snapshots.gauge("pistream_rtsp_players", "RTSP and RTSPS players let in")
                        .dataPoint(Snapshots.point(rtsp.players())).build(),
                Snapshots.gauge("pistream_rtsp_max_players", "The most players at once (0: no cap)")
                        .dataPoint(Snapshots.point(rtsp.maxPlayers())).build(),
                clients.build(), medias.build(), serving.build(), bytes.build());
    }
}
