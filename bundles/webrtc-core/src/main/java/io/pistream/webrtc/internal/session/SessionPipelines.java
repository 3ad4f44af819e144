package io.pistream.webrtc.internal.session;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts the session pipelines (each with one webrtcbin) built and not yet freed, for status and tests. */
public final class SessionPipelines {

    private static final AtomicInteger LIVE = new AtomicInteger();

    private SessionPipelines() {
    }

    static void built() {
        LIVE.incrementAndGet();
    }

    static void freed() {
        LIVE.decrementAndGet();
    }

    /** Session pipelines that exist now, producer and receiver together. */
    public static int live() {
        return LIVE.get();
    }
}
