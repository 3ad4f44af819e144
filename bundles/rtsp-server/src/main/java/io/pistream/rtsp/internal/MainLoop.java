package io.pistream.rtsp.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.sun.jna.Pointer;

import io.pistream.gstreamer.jna.LibGLib;
import io.pistream.rtsp.internal.jna.RtspLib;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code GMainContext} of the server's own and the thread ({@code pistream-rtsp-loop}) that runs its main loop:
 * gst-rtsp-server accepts connections and expires sessions through the sources attached to it.
 */
final class MainLoop {

    private static final Logger LOG = LoggerFactory.getLogger(MainLoop.class);

    private Pointer context = LibGLib.g_main_context_new();
    private Pointer loop = LibGLib.g_main_loop_new(context, false);
    private Thread thread;

    /** Attaches a source (listening socket, timer) to this context. */
    void attach(Pointer source) {
        LibGLib.g_source_attach(source, context);
    }

    /** Starts the thread and returns once the loop runs (or after {@code timeoutMillis}). */
    void start(long timeoutMillis) {
        Pointer loopContext = context;
        Pointer mainLoop = loop;
        thread = new Thread(() -> {
            LibGLib.g_main_context_push_thread_default(loopContext);
            try {
                LibGLib.g_main_loop_run(mainLoop);
            } finally {
                LibGLib.g_main_context_pop_thread_default(loopContext);
            }
        }, "pistream-rtsp-loop");
        thread.setDaemon(true);
        thread.start();
        // A quit before the thread enters g_main_loop_run would be lost (run sets the loop running again).
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!LibGLib.g_main_loop_is_running(mainLoop) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * Quits the loop and waits for its thread.
     *
     * @return whether the thread ended; if not, the context must be left allocated (logged with its stack)
     */
    boolean stop(long timeoutMillis) {
        LibGLib.g_main_loop_quit(loop);
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            return true;
        }
        Throwable where = new Throwable("pistream-rtsp-loop stack");
        where.setStackTrace(thread.getStackTrace());
        LOG.warn("RTSP server main loop did not stop within {} ms; its context is left allocated", timeoutMillis,
                where);
        return false;
    }

    /** Releases the loop and its context; only once the thread stopped (or never started). */
    void release() {
        if (loop != null) {
            LibGLib.g_main_loop_unref(loop);
            loop = null;
        }
        if (context != null) {
            LibGLib.g_main_context_unref(context);
            context = null;
        }
    }
}
