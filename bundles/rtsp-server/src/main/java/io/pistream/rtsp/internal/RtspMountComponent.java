package io.pistream.rtsp.internal;

import java.util.Map;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTSP mount per factory configuration {@code io.pistream.rtsp.mount} (for example
 * {@code etc/io.pistream.rtsp.mount-camera.cfg}). It appears and disappears with its configuration; a change
 * re-creates it, and the same configuration delivered again leaves it alone, so that its players are not cut off.
 * A configuration with bad values is refused with a log message naming the key, and is listed as refused by
 * {@code pistream:rtsp}; other mounts are not affected.
 */
@Component(configurationPid = "io.pistream.rtsp.mount", configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
@Designate(ocd = MountConfig.class, factory = true)
public final class RtspMountComponent {

    private static final Logger LOG = LoggerFactory.getLogger(RtspMountComponent.class);

    private final MountRegistry registry;
    /** The validated mount, or the reason it was refused: what the registration was made from. */
    private Object applied;
    private RtspServer.Registration registration;

    @Activate
    public RtspMountComponent(@Reference MountRegistry registry, MountConfig config, Map<String, Object> properties) {
        this.registry = registry;
        register(config, properties);
    }

    @Modified
    synchronized void modified(MountConfig config, Map<String, Object> properties) {
        String name = name(properties);
        if (validate(name, config).equals(applied)) {
            LOG.debug("RTSP mount {}: configuration delivered again, unchanged", name);
            return;
        }
        registration.close();
        register(config, properties);
    }

    private void register(MountConfig config, Map<String, Object> properties) {
        String name = name(properties);
        Object wanted = validate(name, config);
        if (wanted instanceof MountSpec spec) {
            registration = registry.addMount(spec);
        } else {
            LOG.error("{}; this mount is not served, the others are not affected", wanted);
            registration = registry.addRefused(name, config.path(), (String) wanted);
        }
        applied = wanted;
    }

    /** The mount a configuration describes, or why it is refused. */
    private static Object validate(String name, MountConfig config) {
        try {
            return MountSpec.from(name, config);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    @Deactivate
    synchronized void deactivate() {
        registration.close();
    }

    /** The configuration's name: {@code camera} for {@code io.pistream.rtsp.mount~camera}, else its PID. */
    static String name(Map<String, Object> properties) {
        Object pid = properties.get(Constants.SERVICE_PID);
        String text = pid == null ? "io.pistream.rtsp.mount" : pid.toString();
        int tilde = text.lastIndexOf('~');
        return tilde >= 0 && tilde + 1 < text.length() ? text.substring(tilde + 1) : text;
    }
}
