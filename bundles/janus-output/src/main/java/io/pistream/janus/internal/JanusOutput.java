package io.pistream.janus.internal;

import java.util.Map;

import io.pistream.api.MediaHub;
import io.pistream.janus.JanusMountpoint;

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
 * A Janus output made from a factory configuration {@code etc/io.pistream.janus-NAME.cfg}. A refused configuration
 * is logged and shown in status (state REFUSED) and talks to no server.
 */
@Component(service = {}, configurationPid = JanusSettings.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = JanusConfig.class, factory = true)
public final class JanusOutput {

    private static final Logger LOG = LoggerFactory.getLogger(JanusOutput.class);

    private final MediaHub hub;
    private final JanusBook book;
    private JanusSettings settings;
    private JanusPublisher publisher;

    @Activate
    public JanusOutput(@Reference MediaHub hub, @Reference JanusBook book, JanusConfig config,
            Map<String, Object> properties) {
        this.hub = hub;
        this.book = book;
        start(JanusSettings.from(config, properties));
    }

    /** The same configuration delivered again (at every start) keeps the mountpoint fed; a changed one restarts. */
    @Modified
    synchronized void modified(JanusConfig config, Map<String, Object> properties) {
        JanusSettings wanted = JanusSettings.from(config, properties);
        if (wanted.equals(settings)) {
            LOG.debug("Janus output '{}': configuration delivered again, unchanged", wanted.name());
            return;
        }
        LOG.info("Janus output '{}': configuration changed, restarting it", wanted.name());
        stop();
        start(wanted);
    }

    private void start(JanusSettings wanted) {
        settings = wanted;
        if (wanted.problem() != null) {
            LOG.error("Janus output '{}' refused. {}", wanted.name(), wanted.problem());
            publisher = null;
            JanusMountpoint refused = new JanusMountpoint(wanted.name(), wanted.urlText(), wanted.id(),
                    wanted.video(), wanted.audio(), "REFUSED", false, 0, 0, null, wanted.problem(), null, null);
            book.add(this, () -> refused);
        } else {
            JanusPublisher started = new JanusPublisher(hub, wanted);
            publisher = started;
            book.add(this, started::status);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private void stop() {
        book.remove(this);
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
    }
}
