package io.pistream.gstreamer.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import io.pistream.api.Availability;
import io.pistream.api.AvailabilityWatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners of {@link io.pistream.api.MediaHub#watchAvailability}. Every call happens on one thread of its own,
 * never the hub's control thread nor a GStreamer thread: a listener may call back into the hub (subscribe waits for
 * the control thread) and take its own locks. After each change of sources or encoders every watch is evaluated
 * afresh and told only when its answer differs from the last one it was told.
 */
final class AvailabilityWatchers {

    private static final Logger LOG = LoggerFactory.getLogger(AvailabilityWatchers.class);

    private final BiFunction<String, String, Availability> availability;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final ExecutorService notifier = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pistream-hub-availability");
        thread.setDaemon(true);
        return thread;
    });

    AvailabilityWatchers(BiFunction<String, String, Availability> availability) {
        this.availability = availability;
    }

    AvailabilityWatch watch(String sourceId, String codec, Consumer<Availability> listener) {
        Watch watch = new Watch(sourceId, codec, listener);
        watches.add(watch);
        submit(watch::evaluate);
        return watch;
    }

    /** Sources or encoders changed: tell each watch whose answer changed. */
    void changed() {
        submit(() -> {
            for (Watch watch : watches) {
                watch.evaluate();
            }
        });
    }

    /** The hub stopped: no more calls. */
    void close() {
        watches.clear();
        notifier.shutdown();
    }

    private void submit(Runnable task) {
        try {
            notifier.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Media hub stopped; availability not reported");
        }
    }

    private final class Watch implements AvailabilityWatch {
        private final String sourceId;
        private final String codec;
        private final Consumer<Availability> listener;
        private volatile boolean closed;
        private Availability told; // only used on the notifier thread

        Watch(String sourceId, String codec, Consumer<Availability> listener) {
            this.sourceId = sourceId;
            this.codec = codec;
            this.listener = listener;
        }

        void evaluate() {
            if (closed) {
                return;
            }
            Availability now = availability.apply(sourceId, codec);
            if (now.equals(told)) {
                return;
            }
            told = now;
            try {
                listener.accept(now);
            } catch (RuntimeException e) {
                LOG.warn("Availability listener of {} / {} failed", sourceId, codec, e);
            }
        }

        @Override
        public void close() {
            closed = true;
            watches.remove(this);
        }
    }
}
