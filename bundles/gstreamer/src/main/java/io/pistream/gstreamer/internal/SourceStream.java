package io.pistream.gstreamer.internal;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.api.StreamStatus;
import io.pistream.api.Tier;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.GstDirect;
import io.pistream.gstreamer.jna.Signals;

import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.glib.Natives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capture pipeline of one source, {@code source ! tee}, with one {@link EncoderBranch} per codec and tier in
 * use.
 * It is supervised: a failure (its element cannot be built, it refuses to start, an error or an unexpected end of
 * stream while it runs) rebuilds it after a growing delay, while its subscribers stay subscribed and resume at the
 * next key frame. The delay starts over only once a capture has run well for {@link HubSettings#STABLE_RUN_MILLIS}.
 * Used on the hub's control thread only.
 */
final class SourceStream {

    private static final Logger LOG = LoggerFactory.getLogger(SourceStream.class);
    private static final long FRAME_RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final String REFUSED = "the pipeline refused to start";
    private static final long REASON_WAIT_MILLIS = 250;

    final MediaSource source;
    private final ScheduledExecutorService control;
    private final Owner owner;
    private final Backoff backoff;
    private final FailureStreak streak;
    private final Map<Rendition, EncoderBranch> branches = new LinkedHashMap<>();

    private Pipeline pipeline;
    private Element tee;
    private int generation;
    private int restarts;
    private String lastError;
    private int refusedGeneration = -1;
    private ScheduledFuture<?> pendingRestart;
    private ScheduledFuture<?> stableCheck;
    private ScheduledFuture<?> stallCheck;
    /** 0: no watchdog (audio, or switched off). */
    private final long stallNanos;
    private boolean stopped;
    private Signals.Connection frameCounter;
    /**
     * The first error a pipeline posted, with its generation: set on whichever thread posts it. The first is the
     * reason (a file source posts "Resource not found", then its base class a generic "state change failed").
     */
    private final AtomicReference<PostedError> postedError = new AtomicReference<>();

    private record PostedError(int generation, String text) {
    }

    // Written by the capture's streaming thread only (one at a time: a rebuilt pipeline's after the old one's).
    private volatile long frames;
    private volatile double framesPerSecond;
    private volatile long lastFrameAt;
    private long windowStart = System.nanoTime();
    private long windowFrames;

    /** The hub: counts live pipelines (so tests and status can prove none leaks) and ends finished streams. */
    interface Owner {
        void created();

        void released();

        /** The source's stream is over for good ({@link MediaSource.AtEnd#STOP}). */
        void ended(SourceStream stream, String reason);
    }

    SourceStream(MediaSource source, ScheduledExecutorService control, HubSettings settings, Owner owner) {
        this.source = source;
        this.control = control;
        this.owner = owner;
        this.backoff = new Backoff(settings.restartMinMillis(), settings.restartMaxMillis());
        this.streak = new FailureStreak(settings.failureSummaryMillis());
        // only video: an audio source may legitimately be quiet (text to speech between sentences)
        this.stallNanos = source.kind() == MediaKind.VIDEO
                ? TimeUnit.MILLISECONDS.toNanos(settings.stallMillis()) : 0;
    }

    EncoderBranch branch(Rendition rendition) {
        return branches.get(rendition);
    }

    boolean hasBranches() {
        return !branches.isEmpty();
    }

    List<EncoderBranch> branches() {
        return new ArrayList<>(branches.values());
    }

    /** Adds a codec at a tier; starts the pipeline if this is the first, or joins the running one. */
    void addBranch(Rendition rendition, Encoder encoder) {
        Tier tier = rendition.tier();
        EncoderBranch branch = new EncoderBranch(source.id(), rendition, encoder, control);
        branches.put(rendition, branch);
        if (pendingRestart != null) {
            return; // joins when the pipeline is rebuilt
        }
        if (pipeline == null) {
            start();
            return;
        }
        try {
            branch.attach(pipeline, tee, source.rawCaps(), true);
            LOG.info("{}: {} encoder {} joined the running capture", source.id(), rendition,
                    tier.isTop() ? encoder.description() : encoder.description() + " as tier " + tier);
        } catch (MediaException | RuntimeException e) {
            fail("cannot add " + rendition + " encoder: " + e.getMessage());
        }
    }

    void removeBranch(Rendition rendition) {
        EncoderBranch branch = branches.remove(rendition);
        // The last branch goes with the whole pipeline (see stop()), not one by one.
        if (branch != null && pipeline != null && !branches.isEmpty()) {
            branch.detachLive(pipeline, tee);
            LOG.info("{}: {} encoder stopped, no subscriber left", source.id(), rendition);
        }
    }

    private void start() {
        generation++;
        int thisGeneration = generation;
        Pipeline built = new Pipeline("source-" + source.id());
        owner.created();
        try {
            Element capture = source.createElement();
            Element rawTee = Elements.make("tee", "raw");
            // Without this a tee whose branches are all being replaced stops the capture with not-linked.
            rawTee.set("allow-not-linked", true);
            built.addMany(capture, rawTee);
            if (!capture.link(rawTee)) {
                throw new MediaException("cannot link source " + source.id() + " to its tee");
            }
            pipeline = built;
            tee = rawTee;
            frameCounter = Signals.probe(Natives.getRawPointer(rawTee.getStaticPad("sink")), Signals.PROBE_BUFFER,
                    (pad, info) -> countFrame());
            for (EncoderBranch branch : branches.values()) {
                branch.attach(built, rawTee, source.rawCaps(), false);
            }
            watchBus(built, thisGeneration);
            if (built.play() == StateChangeReturn.FAILURE) {
                refusedGeneration = thisGeneration;
                // the element that refused posted why while play() ran: say that, not only that it refused (the
                // same reason each time, so that a streak of refusals is logged once)
                fail(postedReason(thisGeneration));
                return;
            }
            if (streak.count() == 0) {
                LOG.info("{}: capture started with {}", source.id(), branches.keySet());
            } else {
                // a failing source's attempts stay quiet; ranWell() says when one of them succeeded
                LOG.debug("{}: capture started with {}, attempt {}", source.id(), branches.keySet(),
                        streak.count() + 1);
            }
            stableCheck = control.schedule(() -> ranWell(thisGeneration), HubSettings.STABLE_RUN_MILLIS,
                    TimeUnit.MILLISECONDS);
            if (stallNanos > 0) {
                lastFrameAt = System.nanoTime(); // the watchdog counts from the start
                long period = Math.max(1, TimeUnit.NANOSECONDS.toMillis(stallNanos) / 4);
                stallCheck = control.scheduleWithFixedDelay(() -> checkStall(thisGeneration), period, period,
                        TimeUnit.MILLISECONDS);
            }
        } catch (MediaException | RuntimeException e) {
            if (pipeline != built) {
                built.setState(State.NULL);
                built.dispose();
                owner.released();
            }
            fail(e.getMessage());
        }
    }

    /**
     * The error the pipeline of a generation posted. The bus hands errors over on a thread of its own, sometimes
     * after play() has returned: wait for it a little, on the control thread, which nothing streams through.
     */
    private String postedReason(int refused) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REASON_WAIT_MILLIS);
        while (true) {
            PostedError posted = postedError.get();
            if (posted != null && posted.generation() == refused) {
                return posted.text();
            }
            if (System.nanoTime() > deadline) {
                return REFUSED;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return REFUSED;
            }
        }
    }

    /**
     * A capture that neither fails nor ends but gives no frame (a camera that hangs, a demuxer that stalls) would
     * freeze its viewers for good: after {@code stall.seconds} without a frame it takes the failure path.
     */
    private void checkStall(int checkedGeneration) {
        if (checkedGeneration != generation || pipeline == null || stopped) {
            return;
        }
        if (System.nanoTime() - lastFrameAt > stallNanos) {
            fail("no frame for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s (the capture stalled)");
        }
    }

    /** The capture has run without failing for a while: the next failure starts the back-off over. */
    private void ranWell(int checkedGeneration) {
        if (checkedGeneration != generation || pipeline == null || stopped) {
            return;
        }
        backoff.reset();
        int failures = streak.end();
        if (failures > 0) {
            LOG.info("{}: running again after {} failed attempts", source.id(), failures);
        }
    }

    /** On the streaming thread: one raw frame went into the tee. */
    private int countFrame() {
        frames++;
        windowFrames++;
        long now = System.nanoTime();
        lastFrameAt = now;
        long elapsed = now - windowStart;
        if (elapsed >= FRAME_RATE_WINDOW_NANOS) {
            framesPerSecond = windowFrames * 1e9 / elapsed;
            windowFrames = 0;
            windowStart = now;
        }
        return Signals.PROBE_OK;
    }

    private void watchBus(Pipeline watched, int watchedGeneration) {
        Bus bus = watched.getBus();
        bus.connect((Bus.ERROR) (origin, code, message) -> {
            String text = (origin != null ? origin.getName() + ": " : "") + message;
            postedError.updateAndGet(known -> known != null && known.generation() == watchedGeneration ? known
                    : new PostedError(watchedGeneration, text));
            control.execute(() -> onPipelineFailure(watchedGeneration, text));
        });
        bus.connect((Bus.WARNING) (origin, code, message) ->
                LOG.warn("{}: {}: {}", source.id(), origin != null ? origin.getName() : "?", message));
        bus.connect((Bus.EOS) origin -> control.execute(() -> onEndOfStream(watchedGeneration)));
    }

    private void onEndOfStream(int endedGeneration) {
        if (endedGeneration != generation || pipeline == null || stopped) {
            return;
        }
        switch (source.atEnd()) {
            case RESTART -> {
                LOG.info("{}: reached its end, playing again", source.id());
                releasePipeline();
                start();
            }
            case STOP -> {
                LOG.info("{}: reached its end", source.id());
                owner.ended(this, "source '" + source.id() + "' reached its end");
            }
            default -> fail("end of stream");
        }
    }

    private void onPipelineFailure(int failedGeneration, String message) {
        if (failedGeneration == generation && pipeline != null && !stopped) {
            fail(message);
        } else if (failedGeneration == refusedGeneration && REFUSED.equals(lastError)) {
            lastError = message; // the reason why it refused to start, posted after the refusal
        }
    }

    /** Rebuilds the pipeline at once, keeping the subscribers: a new configuration, or a user's request. */
    void rebuild(String reason) {
        if (stopped) {
            return;
        }
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
        LOG.info("{}: rebuilding the capture ({})", source.id(), reason);
        releasePipeline();
        // a new configuration or a user's request deserves a prompt first try, and its own first error line
        backoff.reset();
        streak.end();
        start();
    }

    /** Records the error, tears the pipeline down and schedules a rebuild. */
    private void fail(String message) {
        lastError = message;
        releasePipeline();
        if (stopped || branches.isEmpty()) {
            return;
        }
        if (source.problem() != null) {
            LOG.error("{}: {}; waiting for a corrected configuration", source.id(), message);
            return;
        }
        long delay = backoff.nextDelay();
        restarts++;
        switch (streak.record(message, System.nanoTime())) {
            case ERROR -> LOG.error("{}: pipeline failed ({}); restarting in {} ms{}", source.id(), message, delay,
                    streak.count() == 1 ? "" : " (failure " + streak.count() + " since " + since() + ")");
            case WARN -> LOG.warn("{}: failed {} times since {} ({}), next try in {} s", source.id(),
                    streak.count(), since(), message, String.format(Locale.ROOT, "%.1f", delay / 1000.0));
            default -> LOG.debug("{}: pipeline failed again ({}); restarting in {} ms", source.id(), message, delay);
        }
        pendingRestart = control.schedule(() -> {
            pendingRestart = null;
            if (!stopped && !branches.isEmpty()) {
                start();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Stops for good (last subscriber gone after the linger, or source removed). */
    void stop() {
        stopped = true;
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
        releasePipeline();
        branches.clear();
        LOG.info("{}: capture stopped", source.id());
    }

    private void releasePipeline() {
        if (pipeline == null) {
            return;
        }
        Pipeline old = pipeline;
        pipeline = null;
        tee = null;
        generation++;
        if (stableCheck != null) {
            stableCheck.cancel(false);
            stableCheck = null;
        }
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
        old.setState(State.NULL);
        if (frameCounter != null) {
            frameCounter.close();
            frameCounter = null;
        }
        framesPerSecond = 0;
        for (EncoderBranch branch : branches.values()) {
            branch.forgetPipeline();
        }
        old.dispose();
        owner.released();
    }

    private String since() {
        return streak.since().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    void requestKeyFrame(Rendition rendition) {
        EncoderBranch branch = branches.get(rendition);
        if (branch != null && pipeline != null) {
            branch.requestKeyFrame();
        }
    }

    String graph() {
        return pipeline == null ? null : GstDirect.binToDot(Natives.getRawPointer(pipeline));
    }

    StreamStatus status() {
        String state = pendingRestart != null ? "RESTARTING"
                : pipeline == null ? "STOPPED" : pipeline.getState(0).name();
        List<StreamStatus.EncoderStatus> encoders = new ArrayList<>();
        for (EncoderBranch branch : branches.values()) {
            encoders.add(branch.status());
        }
        // a capture that stalled measures no new window: its rate is 0, not the last one measured
        double rate = System.nanoTime() - lastFrameAt > 2 * FRAME_RATE_WINDOW_NANOS ? 0 : framesPerSecond;
        return new StreamStatus(source.id(), state, restarts, lastError, encoders, frames, rate);
    }
}
