package io.pistream.snapshot.internal;

import io.pistream.api.Codecs;
import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;

import org.freedesktop.gstreamer.Element;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** Offers the JPEG codec to the hub, so pictures come from the shared capture like any other stream. */
@Component(service = Encoder.class, configurationPid = "io.pistream.snapshot",
        property = Encoder.CODEC + "=" + Codecs.JPEG)
// shares the snapshot configuration (its metatype is designated by SnapshotsComponent)
public final class JpegEncoderComponent implements Encoder {

    private final JpegEncoder encoder;

    @Activate
    public JpegEncoderComponent(SnapshotConfig config) {
        SnapshotSettings settings = SnapshotSettings.of(config);
        this.encoder = new JpegEncoder(settings.framesPerSecond(), settings.quality());
    }

    @Override
    public String codec() {
        return encoder.codec();
    }

    @Override
    public MediaKind kind() {
        return encoder.kind();
    }

    @Override
    public String description() {
        return encoder.description();
    }

    @Override
    public boolean isAvailable() {
        return encoder.isAvailable();
    }

    @Override
    public Element createElement(String rawCaps) throws MediaException {
        return encoder.createElement(rawCaps);
    }
}
