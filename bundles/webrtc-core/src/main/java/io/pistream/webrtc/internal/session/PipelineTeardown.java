package io.pistream.webrtc.internal.session;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees an ended session's pipeline on the teardown executor (setting it to NULL can take a while): the session's last
 * words first, then NULL, its native objects and the pipeline itself, whatever fails on the way.
 */
final class PipelineTeardown {

    private static final Logger LOG = LoggerFactory.getLogger(PipelineTeardown.class);

    private final String sessionId;
    private final Executor teardown;
    private final Consumer<Pipeline> beforeFree;
    private final Runnable afterFree;

    /**
     * @param beforeFree the session's last work with the pipeline, before NULL (receivers finish recordings)
     * @param afterFree the session's work once all is freed
     */
    PipelineTeardown(String sessionId, Executor teardown, Consumer<Pipeline> beforeFree, Runnable afterFree) {
        this.sessionId = sessionId;
        this.teardown = teardown;
        this.beforeFree = beforeFree;
        this.afterFree = afterFree;
    }

    /** Hands the pipeline and the natives over; neither may be touched by the caller afterwards. */
    void free(Pipeline doomed, OwnedNatives natives) {
        teardown.execute(() -> run(doomed, natives));
    }

    private void run(Pipeline doomed, OwnedNatives natives) {
        try {
            beforeFree.accept(doomed);
        } catch (RuntimeException e) {
            LOG.warn("Session {}: finishing failed", sessionId, e);
        }
        try {
            doomed.setState(State.NULL);
            natives.free();
            doomed.dispose();
        } catch (RuntimeException e) {
            LOG.warn("Session {}: freeing the pipeline failed", sessionId, e);
        } finally {
            SessionPipelines.freed();
            afterFree.run();
        }
    }
}
