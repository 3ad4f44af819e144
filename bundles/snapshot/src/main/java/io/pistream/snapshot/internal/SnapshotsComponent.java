package io.pistream.snapshot.internal;

import java.time.Duration;

import io.pistream.api.MediaHub;
import io.pistream.api.snapshot.SnapshotException;
import io.pistream.api.snapshot.Snapshots;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** The {@link Snapshots} service: pictures from the hub's shared capture. */
@Component(service = Snapshots.class, configurationPid = "io.pistream.snapshot")
@Designate(ocd = SnapshotConfig.class)
public final class SnapshotsComponent implements Snapshots {

    private final SnapshotTaker taker;

    @Activate
    public SnapshotsComponent(@Reference MediaHub hub, SnapshotConfig config) {
        SnapshotSettings settings = SnapshotSettings.of(config);
        this.taker = new SnapshotTaker(hub, settings.quality(), settings.maxConversions());
    }

    @Override
    public byte[] jpeg(String sourceId, int width, int quality, Duration timeout) throws SnapshotException {
        return taker.jpeg(sourceId, width, quality, timeout);
    }
}
