package io.pistream.gstreamer.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
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

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media hub without OSGi: sources and encoders are added and removed by the caller. All pipeline work runs
 * on one control thread, so the bookkeeping needs no locks; buffers flow on GStreamer's streaming threads.
 */
public final class MediaHubCore implements MediaHub, AutoCloseable, Demand.Listener<Rendition>,
        SourceStream.Owner {

    private static final Logger LOG = LoggerFactory.getLogger(MediaHubCore.class);
    private static final long CONTROL_TIMEOUT_SECONDS = 20;

    /** An encoder as it was added: its ranking and what it made then (its description). */
    private record RankedEncoder(Encoder encoder, int ranking, String description) {
    }

    private final ScheduledExecutorService control;
    private volatile HubSettings settings;
    private final Demand<Rendition> demand;
    private volatile Ladder ladder = Ladder.DEFAULT;
    /** Ladders that sources' own configurations set instead of the hub's. */
    private final Map<MediaSource, Ladder> sourceLadders = new ConcurrentHashMap<>();
    private final Map<String, MediaSource> sources = new ConcurrentHashMap<>();
    private final List<RankedEncoder> encoders = new CopyOnWriteArrayList<>();
    private final Map<String, SourceStream> streams = new HashMap<>();
    private final AtomicInteger livePipelines = new AtomicInteger();
    private final AvailabilityWatchers watchers = new AvailabilityWatchers(this::availability);
    private final IdleCollection idleCollection;
    private volatile Thread controlThread;

    MediaHubCore(HubSettings settings) {
        this(settings, IdleCollection::collectHeap);
    }

    /** @param heapCollector what collects the heap when no capture has run for a while */
    MediaHubCore(HubSettings settings, Runnable heapCollector) {
        this.settings = settings;
        this.control = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pistream-hub");
            thread.setDaemon(true);
            controlThread = thread;
            return thread;
        });
        Scheduler scheduler = (task, delay) -> {
            var future = control.schedule(task, delay, TimeUnit.MILLISECONDS);
            return () -> future.cancel(false);
        };
        this.demand = new Demand<>(this, scheduler, settings.lingerMillis());
        this.idleCollection = new IdleCollection(scheduler, settings.idleCollectMillis(), heapCollector);
        // what starting the platform left behind
        control.execute(idleCollection::idle);
    }

    /** A hub with default settings and the given linger, for code outside OSGi (tests, benchmarks). */
    public static MediaHubCore create(long lingerMillis) {
        GstInit.ensure();
        return new MediaHubCore(new HubSettings(lingerMillis, HubSettings.DEFAULTS.restartMinMillis(),
                HubSettings.DEFAULTS.restartMaxMillis()));
    }

    void updateSettings(HubSettings newSettings) {
        this.settings = newSettings;
        runOnControlUnchecked(() -> {
            demand.setLingerMillis(newSettings.lingerMillis());
            idleCollection.setDelayMillis(newSettings.idleCollectMillis());
            return null;
        });
    }

    /**
     * The tiers offered below the top from now on; running tiers keep their size and bitrate until they stop (their
     * subscribers see no interruption).
     */
    void updateLadder(Ladder newLadder) {
        if (!newLadder.equals(ladder)) {
            LOG.info("Video tiers below the top: {}", newLadder);
        }
        ladder = newLadder;
    }

    /** A source's own ladder instead of the hub's, or {@code null} for the hub's; new subscriptions use it. */
    void setSourceLadder(MediaSource source, Ladder own) {
        if (own == null) {
            sourceLadders.remove(source);
        } else if (!own.equals(sourceLadders.put(source, own))) {
            LOG.info("Source '{}': video tiers below the top: {}", source.id(), own);
        }
    }

    private List<Tier> tiersOf(MediaSource source) {
        return sourceLadders.getOrDefault(source, ladder).tiersOf(source);
    }

    // --- sources and encoders ---------------------------------------------------------------------------------

    public void addSource(MediaSource source) {
        MediaSource previous = sources.put(source.id(), source);
        if (previous != null) {
            LOG.warn("Source id '{}' registered twice; the newer one ({}) replaces '{}'", source.id(), source.name(),
                    previous.name());
            endStream(source.id(), previous, "replaced by another source with the same id");
        }
        LOG.info("Source '{}' ({}) available: {}", source.id(), source.kind(), source.name());
        watchers.changed();
    }

    public void removeSource(MediaSource source) {
        sourceLadders.remove(source);
        if (sources.remove(source.id(), source)) {
            endStream(source.id(), source, "source '" + source.id() + "' was removed");
            LOG.info("Source '{}' removed", source.id());
            watchers.changed();
        }
    }

    /**
     * A source's configuration changed: its capture is rebuilt with the new settings while its subscribers stay
     * subscribed. A source whose id changed is treated as removed and added.
     */
    public void updateSource(MediaSource source) {
        String knownAs = sources.entrySet().stream().filter(entry -> entry.getValue() == source)
                .map(Map.Entry::getKey).findFirst().orElse(null);
        if (knownAs == null) {
            addSource(source);
            return;
        }
        if (!knownAs.equals(source.id())) {
            sources.remove(knownAs, source);
            endStream(knownAs, source, "source '" + knownAs + "' was renamed to '" + source.id() + "'");
            addSource(source);
            return;
        }
        LOG.info("Source '{}' reconfigured: {}", source.id(), source.name());
        watchers.changed(); // its problem may have come or gone
        runOnControlUnlessClosed(() -> {
            SourceStream stream = streams.get(source.id());
            if (stream != null && stream.source == source) {
                stream.rebuild("configuration changed");
            }
            return null;
        });
    }

    private void endStream(String sourceId, MediaSource source, String reason) {
        runOnControlUnlessClosed(() -> {
            SourceStream stream = streams.get(sourceId);
            if (stream != null && stream.source == source) {
                ended(stream, reason);
            }
            return null;
        });
    }

    /** Ends every subscription of the stream and stops it. On the control thread. */
    @Override
    public void ended(SourceStream stream, String reason) {
        String sourceId = streams.entrySet().stream().filter(entry -> entry.getValue() == stream)
                .map(Map.Entry::getKey).findFirst().orElse(stream.source.id());
        removeStream(sourceId, stream);
        demand.dropSource(sourceId);
        for (EncoderBranch branch : stream.branches()) {
            for (HubSubscription subscription : branch.subscribers) {
                subscription.closed = true;
                notifyEnd(subscription, reason);
            }
        }
        stream.stop();
    }

    private static void notifyEnd(HubSubscription subscription, String reason) {
        try {
            subscription.sink.onEnd(reason);
        } catch (RuntimeException e) {
            LOG.warn("{}: end notification failed", subscription, e);
        }
    }

    public void addEncoder(Encoder encoder, int ranking) {
        encoders.add(new RankedEncoder(encoder, ranking, encoder.description()));
        LOG.info("Encoder for {} available: {} (ranking {}, {})", encoder.codec(), encoder.description(), ranking,
                encoder.isAvailable() ? "usable" : "its elements are missing");
        watchers.changed();
    }

    /**
     * An encoder's service changed (its configuration was delivered, maybe again): only a change of its ranking or of
     * what it makes (its description) counts, and then it is replaced as if it had gone and come back. The same
     * configuration delivered again (the file installer reading what a feature wrote) changes nothing: outputs that
     * rely on the encoder are not withdrawn for a moment.
     */
    public void updateEncoder(Encoder encoder, int ranking) {
        boolean same = encoders.stream().anyMatch(ranked -> ranked.encoder() == encoder && ranked.ranking() == ranking
                && ranked.description().equals(encoder.description()));
        if (same) {
            LOG.debug("Encoder for {} unchanged: {}", encoder.codec(), encoder.description());
            return;
        }
        removeEncoder(encoder);
        addEncoder(encoder, ranking);
    }

    /** What the encoders of a codec make, as they were added or last replaced (for tests and diagnostics). */
    List<String> encoderDescriptions(String codec) {
        return encoders.stream().filter(ranked -> ranked.encoder().codec().equals(codec))
                .map(RankedEncoder::description).toList();
    }

    public void removeEncoder(Encoder encoder) {
        if (encoders.removeIf(ranked -> ranked.encoder() == encoder)) {
            watchers.changed();
        }
    }

    private Optional<Encoder> bestEncoder(String codec, MediaSource source) {
        return encoders.stream()
                .filter(ranked -> ranked.encoder().codec().equals(codec)
                        && ranked.encoder().kind() == source.kind() && ranked.encoder().isAvailable())
                .max(Comparator.comparingInt(RankedEncoder::ranking))
                .map(RankedEncoder::encoder);
    }

    // --- MediaHub ---------------------------------------------------------------------------------------------

    @Override
    public Availability availability(String sourceId, String codec) {
        MediaSource source = sources.get(sourceId);
        if (source == null) {
            return new Availability(sourceId, codec, Availability.State.NO_SOURCE, null,
                    "source '" + sourceId + "' is not available");
        }
        if (source.problem() != null) {
            return new Availability(sourceId, codec, Availability.State.SOURCE_PROBLEM, source.kind(),
                    source.problem());
        }
        if (bestEncoder(codec, source).isEmpty()) {
            return new Availability(sourceId, codec, Availability.State.NO_ENCODER, source.kind(),
                    "no usable " + codec + " encoder for " + source.kind().name().toLowerCase() + " sources");
        }
        return new Availability(sourceId, codec, Availability.State.AVAILABLE, source.kind(), null);
    }

    @Override
    public AvailabilityWatch watchAvailability(String sourceId, String codec, Consumer<Availability> listener) {
        return watchers.watch(sourceId, codec, listener);
    }

    @Override
    public List<Tier> tiers(String sourceId) {
        MediaSource source = sources.get(sourceId);
        return source == null ? List.of() : tiersOf(source);
    }

    @Override
    public Subscription subscribe(String sourceId, String codec, EncodedStreamSink sink) throws MediaException {
        return subscribe(sourceId, codec, 0, sink);
    }

    @Override
    public Subscription subscribe(String sourceId, String codec, int tier, EncodedStreamSink sink)
            throws MediaException {
        MediaSource source = sources.get(sourceId);
        if (source == null) {
            throw new MediaException("Unknown source '" + sourceId + "'; known sources: " + sources.keySet());
        }
        if (source.problem() != null) {
            throw new MediaException("Source '" + sourceId + "' cannot run: " + source.problem());
        }
        if (bestEncoder(codec, source).isEmpty()) {
            throw new MediaException("No usable " + codec + " encoder for " + source.kind().name().toLowerCase()
                    + " source '" + sourceId + "'");
        }
        List<Tier> tiers = tiersOf(source);
        if (tier < 0 || tier >= tiers.size()) {
            throw new MediaException("Source '" + sourceId + "' has no tier " + tier + "; its tiers: " + tiers);
        }
        // the top's branch is the same whatever size the source names now: a reconfigured source rebuilds it
        Rendition rendition = tier == 0 ? Rendition.top(codec) : new Rendition(codec, tiers.get(tier));
        HubSubscription subscription = new HubSubscription(this, sourceId, rendition, sink);
        runOnControl(() -> {
            if (sources.get(sourceId) != source) {
                throw new MediaException("Source '" + sourceId + "' went away");
            }
            demand.acquire(sourceId, rendition);
            SourceStream stream = streams.get(sourceId);
            EncoderBranch branch = stream == null ? null : stream.branch(rendition);
            if (branch == null) {
                demand.release(sourceId, rendition);
                throw new MediaException("No " + rendition + " branch could be started for '" + sourceId + "'");
            }
            branch.subscribers.add(subscription);
            stream.requestKeyFrame(rendition);
            return null;
        });
        return subscription;
    }

    void unsubscribe(HubSubscription subscription) {
        control.execute(() -> {
            SourceStream stream = streams.get(subscription.sourceId());
            EncoderBranch branch = stream == null ? null : stream.branch(subscription.rendition());
            if (branch != null && branch.subscribers.remove(subscription)) {
                demand.release(subscription.sourceId(), subscription.rendition());
            }
        });
    }

    void requestKeyFrame(HubSubscription subscription) {
        control.execute(() -> {
            SourceStream stream = streams.get(subscription.sourceId());
            if (stream != null) {
                stream.requestKeyFrame(subscription.rendition());
            }
        });
    }

    @Override
    public void startBranch(String sourceId, Rendition rendition) {
        MediaSource source = sources.get(sourceId);
        Optional<Encoder> encoder = source == null ? Optional.empty() : bestEncoder(rendition.codec(), source);
        if (encoder.isEmpty()) {
            return;
        }
        idleCollection.cancel();
        SourceStream stream = streams.computeIfAbsent(sourceId,
                id -> new SourceStream(source, control, settings, this));
        stream.addBranch(rendition, encoder.get());
    }

    @Override
    public void stopBranch(String sourceId, Rendition rendition) {
        SourceStream stream = streams.get(sourceId);
        if (stream == null) {
            return;
        }
        stream.removeBranch(rendition);
        if (!stream.hasBranches()) {
            stream.stop();
            removeStream(sourceId, stream);
        }
    }

    /** Forgets a stream that stopped; with none left, the heap is collected once the device has stayed idle. */
    private void removeStream(String sourceId, SourceStream stream) {
        if (streams.remove(sourceId, stream) && streams.isEmpty()) {
            idleCollection.idle();
        }
    }

    @Override
    public boolean restart(String sourceId) {
        return runOnControlUnchecked(() -> {
            SourceStream stream = streams.get(sourceId);
            if (stream == null) {
                return false;
            }
            stream.rebuild("restart requested");
            return true;
        });
    }

    @Override
    public List<StreamStatus> streams() {
        return runOnControlUnchecked(() -> {
            List<StreamStatus> result = new ArrayList<>();
            for (SourceStream stream : streams.values()) {
                result.add(stream.status());
            }
            return result;
        });
    }

    @Override
    public List<SourceStatus> sources() {
        Map<String, StreamStatus> running = new HashMap<>();
        for (StreamStatus status : streams()) {
            running.put(status.sourceId(), status);
        }
        List<SourceStatus> result = new ArrayList<>();
        for (MediaSource source : sources.values()) {
            StreamStatus status = running.get(source.id());
            String problem = source.problem() != null ? source.problem()
                    : status == null ? null : status.lastError();
            result.add(new SourceStatus(source.id(), source.kind(), source.name(), source.rawCaps(), status != null,
                    problem));
        }
        result.sort(Comparator.comparing(SourceStatus::id));
        return result;
    }

    @Override
    public String graph(String sourceId) {
        return runOnControlUnchecked(() -> {
            SourceStream stream = streams.get(sourceId);
            return stream == null ? null : stream.graph();
        });
    }

    /** Pipelines built and not yet released; zero once every stream has stopped. */
    public int livePipelines() {
        return livePipelines.get();
    }

    @Override
    public void created() {
        livePipelines.incrementAndGet();
    }

    @Override
    public void released() {
        livePipelines.decrementAndGet();
    }

    @Override
    public void close() {
        runOnControlUnchecked(() -> {
            for (SourceStream stream : new ArrayList<>(streams.values())) {
                ended(stream, "the media hub stopped");
            }
            idleCollection.cancel();
            return null;
        });
        control.shutdown();
        watchers.close();
    }

    // --- control thread ---------------------------------------------------------------------------------------

    private interface ControlTask<T> {
        T call() throws MediaException;
    }

    private <T> T runOnControl(ControlTask<T> task) throws MediaException {
        if (Thread.currentThread() == controlThread) {
            return task.call();
        }
        Callable<T> callable = task::call;
        Future<T> future = control.submit(callable);
        try {
            return future.get(CONTROL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MediaException media) {
                throw media;
            }
            throw new MediaException("Media hub operation failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new MediaException("Media hub did not answer within " + CONTROL_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MediaException("Interrupted while waiting for the media hub", e);
        }
    }

    /**
     * For sources coming, changing and going: once the hub has stopped (and ended every stream), which DS does
     * before it unbinds the sources, they change nothing.
     */
    private void runOnControlUnlessClosed(ControlTask<Void> task) {
        try {
            runOnControlUnchecked(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Media hub stopped; source change ignored");
        }
    }

    private <T> T runOnControlUnchecked(ControlTask<T> task) {
        try {
            return runOnControl(task);
        } catch (MediaException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
