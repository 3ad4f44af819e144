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
import org.osgi.service.component.annotations.Modified;
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

    private volatile CameraSettings settings;

    @Activate
    public CameraSource(@Reference GStreamerRuntime runtime, CameraConfig config, Map<String, Object> properties) {
        this(CameraSettings.from(config, properties));
    }

    CameraSource(CameraSettings settings) {
        apply(settings);
    }

    /**
     * A new configuration: the new settings are used at once, and the hub, told through the changed service
     * properties, rebuilds only this camera's capture while its viewers stay connected.
     */
    @Modified
    void modified(CameraConfig config, Map<String, Object> properties) {
        apply(CameraSettings.from(config, properties));
    }

    void apply(CameraSettings settings) {
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
        CameraSettings current = settings;
        if (current.problem() != null) {
            throw new MediaException(current.problem());
        }
        return CameraElements.build(current);
    }

    @Override
    public String problem() {
        return settings.problem();
    }

    @Override
    public AtEnd atEnd() {
        CameraSettings current = settings;
        if (current.type().equals("file")) {
            return current.loop() ? AtEnd.RESTART : AtEnd.STOP;
        }
        return AtEnd.FAIL;
    }
}
