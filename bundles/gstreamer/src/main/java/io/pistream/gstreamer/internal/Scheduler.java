package io.pistream.gstreamer.internal;

/** Runs a task later on the hub's control thread; abstract so the bookkeeping can be tested with a fake clock. */
interface Scheduler {

    Cancellable schedule(Runnable task, long delayMillis);

    interface Cancellable {
        void cancel();
    }
}
