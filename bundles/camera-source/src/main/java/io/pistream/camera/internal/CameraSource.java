package io.pistream.camera.internal;

import java.util.Map;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.gstreamer.ConfiguredSource;
import io.pistream.gstreamer.GStreamerRuntime;

import org.freedesktop.gstreamer.Element;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A camera made from a factory configuration. A refused configuration still registers the source, with its
 * problem, so that {@code pistream:sources} shows what is wrong; it never runs.
 */
@Component(service = MediaSource.class, configurationPid = CameraSettings.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = CameraConfig.class, factory = true)
public final class CameraSource extends ConfiguredSource<CameraSettings> {

    @Activate
    public CameraSource(@Reference GStreamerRuntime runtime, CameraConfig config, Map<String, Object> properties) {
        this(CameraSettings.from(config, properties));
    }

    CameraSource(CameraSettings settings) {
        super(MediaKind.VIDEO, "Camera");
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

    @Override
    protected String describe(CameraSettings accepted) {
        return accepted.type() + " " + accepted.width() + "x" + accepted.height() + "@" + accepted.framerate();
    }

    @Override
    public String rawCaps() {
        return settings().rawCaps();
    }

    @Override
    protected Element build(CameraSettings accepted) throws MediaException {
        return CameraElements.build(accepted);
    }
}
