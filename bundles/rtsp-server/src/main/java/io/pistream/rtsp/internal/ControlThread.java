package io.pistream.rtsp.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one control thread ({@code pistream-rtsp-control}): hub subscriptions, key frame retries, grace
 * periods and session endings run here, never on a gst-rtsp-server thread. A task that fails is logged; tasks
 * handed over after {@link #shutdown} are dropped.
 */
final class ControlThread {

    private static final Logger LOG = LoggerFactory.getLogger(ControlThread.class);

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "pistream-rtsp-control");
        thread.setDaemon(true);
        return thread;
    });

    ControlThread() {
        // On shutdown, pending delayed tasks (key frame retries, grace periods) are dropped, not awaited.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    void execute(Runnable task) {
        try {
            executor.execute(() -> runSafely(task));
        } catch (RejectedExecutionException e) {
            LOG.debug("RTSP server stopped; task dropped");
        }
    }

    void schedule(Runnable task, long delayMillis) {
        try {
            executor.schedule(() -> runSafely(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("RTSP server stopped; task dropped");
        }
    }

    /** Stops at once, dropping what is queued. */
    void shutdownNow() {
        executor.shutdownNow();
    }

    /** Lets the running task finish (within {@code timeoutMillis}), dropping delayed ones. */
    void shutdown(long timeoutMillis) {
        executor.shutdown();
        try {
            executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("RTSP server task failed", e);
        }
    }
}
