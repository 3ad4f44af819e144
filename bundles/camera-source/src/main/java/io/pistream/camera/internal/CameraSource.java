package io.pistream.camera.internal;

import java.util.Map;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.gstreamer.GStreamerRuntime;

import org.freedesktop.gstreamer.Element;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camera made from a factory configuration. A refused configuration still registers the source, with its
 * problem, so that {@code pistream:sources} shows what is wrong; it never runs.
 */
@Component(service = MediaSource.class, configurationPid = CameraSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CameraConfig.class, factory = true)
public final class CameraSource implements MediaSource {

    private static final Logger LOG = LoggerFactory.getLogger(CameraSource.class);

    private final CameraSettings settings;

    @Activate
    public CameraSource(@Reference GStreamerRuntime runtime, CameraConfig config, Map<String, Object> properties) {
        this(CameraSettings.from(config, properties));
    }

    CameraSource(CameraSettings settings) {
        this.settings = settings;
        if (settings.problem() != null) {
            LOG.error("Camera '{}' refused. {}", settings.id(), settings.problem());
        } else {
            LOG.info("Camera '{}': {} {}x{}@{}", settings.id(), settings.type(), settings.width(), settings.height(),
                    settings.framerate());
        }
    }

    @Override
    public String id() {
        return settings.id();
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public String rawCaps() {
        return settings.rawCaps();
    }

    @Override
    public Element createElement() throws MediaException {
        if (settings.problem() != null) {
            throw new MediaException(settings.problem());
        }
        return CameraElements.build(settings);
    }

    @Override
    public String problem() {
        return settings.problem();
    }

    @Override
    public AtEnd atEnd() {
        if (settings.type().equals("file")) {
            return settings.loop() ? AtEnd.RESTART : AtEnd.STOP;
        }
        return AtEnd.FAIL;
    }
}
