package io.pistream.rtp.internal;

import java.util.Map;

import io.pistream.api.MediaHub;
import io.pistream.rtp.push.RtpPush;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An RTP/UDP push made from a factory configuration; a refused configuration is logged and sends nothing. */
@Component(service = {}, configurationPid = RtpSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = RtpConfig.class, factory = true)
public final class RtpOutput {

    private static final Logger LOG = LoggerFactory.getLogger(RtpOutput.class);

    private final MediaHub hub;
    private RtpSettings settings;
    private RtpPush push;

    @Activate
    public RtpOutput(@Reference MediaHub hub, RtpConfig config, Map<String, Object> properties) {
        this.hub = hub;
        start(RtpSettings.from(config, properties));
    }

    /** The same configuration delivered again (at every start) keeps the push going; a changed one restarts it. */
    @Modified
    synchronized void modified(RtpConfig config, Map<String, Object> properties) {
        RtpSettings wanted = RtpSettings.from(config, properties);
        if (wanted.equals(settings)) {
            LOG.debug("RTP push '{}': configuration delivered again, unchanged", wanted.name());
            return;
        }
        LOG.info("RTP push '{}': configuration changed, restarting it", wanted.name());
        stop();
        start(wanted);
    }

    private void start(RtpSettings wanted) {
        settings = wanted;
        if (wanted.problem() != null) {
            LOG.error("RTP push '{}' refused. {}", wanted.name(), wanted.problem());
            push = null;
        } else {
            push = new RtpPush(hub, wanted.target());
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private void stop() {
        if (push != null) {
            push.close();
            push = null;
        }
    }
}
