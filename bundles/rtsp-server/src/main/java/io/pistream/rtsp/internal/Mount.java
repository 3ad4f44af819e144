package io.pistream.rtsp.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Pointer;

import io.pistream.api.AvailabilityWatch;

/** A configured mount and its publication on the server. State is guarded by the lock of {@link Mounts}. */
final class Mount {

    enum State {
        SERVING, WAITING, REFUSED
    }

    final String name;
    final MountSpec spec;

    State state = State.WAITING;
    String detail = "not published yet";
    /** Our reference to the published factory, or null. */
    Pointer factory;
    /** Incremented at each publication; read by media threads. */
    volatile int generation;
    /** Whether the current publication carries audio. */
    boolean audioPublished;
    /** Why audio could not be served, cleared when the hub reports a change of this mount's sources. */
    String audioFailure;
    volatile boolean removed;
    /** The URL of the current publication. */
    String url;
    /** The path of a refused configuration (which has no spec), when it had one. */
    private String refusedPath;

    /** Media pipelines of this mount, by {@code GstRTSPMedia*}. */
    final Map<Pointer, MediaFeed> feeds = new ConcurrentHashMap<>();
    /** Encoded bytes its medias' appsrcs accepted: added on the hub's push thread, so no lock and no allocation. */
    final AtomicLong mediaBytes = new AtomicLong();
    /** What the hub tells this mount about its sources, until it is removed. */
    private final List<AvailabilityWatch> watches = new CopyOnWriteArrayList<>();

    /** A mount with a valid specification. */
    Mount(MountSpec spec) {
        this.name = spec.name();
        this.spec = spec;
    }

    /** A refused configuration, listed so that the shell shows why it is not served. */
    Mount(String name, String path, String reason) {
        this.name = name;
        this.spec = null;
        this.state = State.REFUSED;
        this.detail = reason;
        this.refusedPath = path;
    }

    String path() {
        return spec != null ? spec.path() : refusedPath;
    }

    void watch(AvailabilityWatch watch) {
        watches.add(watch);
        if (removed) {
            closeWatches(); // removed while the watch was being registered
        }
    }

    void closeWatches() {
        for (AvailabilityWatch watch : watches) {
            watch.close();
        }
        watches.clear();
    }

    boolean published() {
        return factory != null;
    }
}
