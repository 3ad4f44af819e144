package io.pistream.gstreamer.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.pistream.api.Availability;
import io.pistream.api.AvailabilityWatch;
import io.pistream.api.EncodedStreamSink;
import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.MediaSource;
import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;
import io.pistream.api.Subscription;
import io.pistream.api.Tier;
import io.pistream.gstreamer.GStreamerRuntime;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media hub service: tracks every {@link MediaSource} and {@link Encoder} service, and tells outputs which
 * sources they can be served (so that they need not track those services themselves).
 */
@Component(service = MediaHub.class, configurationPid = "io.pistream.hub", immediate = true)
@Designate(ocd = HubConfig.class)
public final class MediaHubComponent implements MediaHub {

    private final MediaHubCore core;

    private static final Logger LOG = LoggerFactory.getLogger(MediaHubComponent.class);

    /** The runtime reference makes the hub wait until GStreamer is initialised. */
    @Activate
    public MediaHubComponent(@Reference GStreamerRuntime runtime, HubConfig config) {
        HubSettings settings;
        try {
            settings = HubSettings.from(config);
        } catch (IllegalArgumentException e) {
            LOG.error("{}; using the defaults", e.getMessage());
            settings = HubSettings.DEFAULTS;
        }
        this.core = new MediaHubCore(settings);
        updateLadder(config, "the default " + Ladder.DEFAULT_TEXT);
    }

    /** A bad ladder keeps the tiers offered so far and disturbs nothing else. */
    private void updateLadder(HubConfig config, String fallback) {
        try {
            core.updateLadder(Ladder.parse(config.video_tiers()));
        } catch (IllegalArgumentException e) {
            LOG.error("{}; keeping {}", e.getMessage(), fallback);
        }
    }

    @Modified
    void modified(HubConfig config) {
        try {
            core.updateSettings(HubSettings.from(config));
        } catch (IllegalArgumentException e) {
            LOG.error("{}; keeping the current settings", e.getMessage());
        }
        updateLadder(config, "the current tiers");
    }

    @Deactivate
    void deactivate() {
        core.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedSource")
    void addSource(MediaSource source, Map<String, Object> properties) {
        core.setSourceLadder(source, sourceLadder(source, properties));
        core.addSource(source);
    }

    /** Called when a source's service properties change, which is when its configuration changed. */
    void updatedSource(MediaSource source, Map<String, Object> properties) {
        core.setSourceLadder(source, sourceLadder(source, properties));
        core.updateSource(source);
    }

    /**
     * A source's own ladder: its configuration's {@code video.tiers}, which Declarative Services publishes as a
     * property of its service. A bad one is reported and the hub's ladder serves that source.
     */
    private static Ladder sourceLadder(MediaSource source, Map<String, Object> properties) {
        Object value = properties.get(Ladder.KEY);
        if (value == null) {
            return null;
        }
        try {
            return Ladder.parse(value.toString(), "configuration of source '" + source.id() + "'");
        } catch (IllegalArgumentException e) {
            LOG.error("{}; the source is offered the hub's tiers", e.getMessage());
            return null;
        }
    }

    void removeSource(MediaSource source) {
        core.removeSource(source);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            updated = "updatedEncoder")
    void addEncoder(Encoder encoder, Map<String, Object> properties) {
        core.addEncoder(encoder, ranking(properties));
    }

    void updatedEncoder(Encoder encoder, Map<String, Object> properties) {
        core.updateEncoder(encoder, ranking(properties));
    }

    private static int ranking(Map<String, Object> properties) {
        return properties.get(Constants.SERVICE_RANKING) instanceof Integer value ? value : 0;
    }

    void removeEncoder(Encoder encoder) {
        core.removeEncoder(encoder);
    }

    @Override
    public Subscription subscribe(String sourceId, String codec, EncodedStreamSink sink) throws MediaException {
        return core.subscribe(sourceId, codec, sink);
    }

    @Override
    public Subscription subscribe(String sourceId, String codec, int tier, EncodedStreamSink sink)
            throws MediaException {
        return core.subscribe(sourceId, codec, tier, sink);
    }

    @Override
    public List<Tier> tiers(String sourceId) {
        return core.tiers(sourceId);
    }

    @Override
    public Availability availability(String sourceId, String codec) {
        return core.availability(sourceId, codec);
    }

    @Override
    public AvailabilityWatch watchAvailability(String sourceId, String codec, Consumer<Availability> listener) {
        return core.watchAvailability(sourceId, codec, listener);
    }

    @Override
    public List<StreamStatus> streams() {
        return core.streams();
    }

    @Override
    public List<SourceStatus> sources() {
        return core.sources();
    }

    @Override
    public String graph(String sourceId) {
        return core.graph(sourceId);
    }

    @Override
    public boolean restart(String sourceId) {
        return core.restart(sourceId);
    }
}
