package io.pistream.janus.internal;

import java.util.Map;

import io.pistream.api.MediaHub;
import io.pistream.janus.JanusMountpoint;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Janus output made from a factory configuration {@code etc/io.pistream.janus-NAME.cfg}. A refused configuration
 * is logged and shown in status (state REFUSED) and talks to no server.
 */
@Component(service = {}, configurationPid = JanusSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = JanusConfig.class, factory = true)
public final class JanusOutput {

    private static final Logger LOG = LoggerFactory.getLogger(JanusOutput.class);

    private final JanusBook book;
    private final JanusPublisher publisher;

    @Activate
    public JanusOutput(@Reference MediaHub hub, @Reference JanusBook book, JanusConfig config,
            Map<String, Object> properties) {
        this.book = book;
        JanusSettings settings = JanusSettings.from(config, properties);
        if (settings.problem() != null) {
            LOG.error("Janus output '{}' refused. {}", settings.name(), settings.problem());
            publisher = null;
            JanusMountpoint refused = new JanusMountpoint(settings.name(), settings.urlText(), settings.id(),
                    settings.video(), settings.audio(), "REFUSED", false, 0, 0, null, settings.problem(), null, null);
            book.add(this, () -> refused);
        } else {
            publisher = new JanusPublisher(hub, settings);
            book.add(this, publisher::status);
        }
    }

    @Deactivate
    void deactivate() {
        book.remove(this);
        if (publisher != null) {
            publisher.close();
        }
    }
}
