package io.pistream.rtp.internal;

import java.util.Map;

import io.pistream.api.MediaHub;
import io.pistream.rtp.push.RtpPush;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
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

    private final RtpPush push;

    @Activate
    public RtpOutput(@Reference MediaHub hub, RtpConfig config, Map<String, Object> properties) {
        RtpSettings settings = RtpSettings.from(config, properties);
        if (settings.problem() != null) {
            LOG.error("RTP push '{}' refused. {}", settings.name(), settings.problem());
            push = null;
        } else {
            push = new RtpPush(hub, settings.target());
        }
    }

    @Deactivate
    void deactivate() {
        if (push != null) {
            push.close();
        }
    }
}
