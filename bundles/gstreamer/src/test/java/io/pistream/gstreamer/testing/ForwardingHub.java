package io.pistream.gstreamer.testing;

import java.util.List;
import java.util.function.Consumer;

import io.pistream.api.Availability;
import io.pistream.api.AvailabilityWatch;
import io.pistream.api.EncodedStreamSink;
import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;
import io.pistream.api.Subscription;
import io.pistream.api.Tier;

/** A hub that forwards everything to another: tests override the one behaviour they change. */
public abstract class ForwardingHub implements MediaHub {

    protected final MediaHub hub;

    protected ForwardingHub(MediaHub hub) {
        this.hub = hub;
    }

    @Override
    public Subscription subscribe(String sourceId, String codec, EncodedStreamSink sink) throws MediaException {
        return hub.subscribe(sourceId, codec, sink);
    }

    @Override
    public Subscription subscribe(String sourceId, String codec, int tier, EncodedStreamSink sink)
            throws MediaException {
        return hub.subscribe(sourceId, codec, tier, sink);
    }

    @Override
    public List<Tier> tiers(String sourceId) {
        return hub.tiers(sourceId);
    }

    @Override
    public Availability availability(String sourceId, String codec) {
        return hub.availability(sourceId, codec);
    }

    @Override
    public AvailabilityWatch watchAvailability(String sourceId, String codec, Consumer<Availability> listener) {
        return hub.watchAvailability(sourceId, codec, listener);
    }

    @Override
    public List<StreamStatus> streams() {
        return hub.streams();
    }

    @Override
    public List<SourceStatus> sources() {
        return hub.sources();
    }

    @Override
    public String graph(String sourceId) {
        return hub.graph(sourceId);
    }

    @Override
    public boolean restart(String sourceId) {
        return hub.restart(sourceId);
    }
}
