package io.pistream.gstreamer.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Counts subscribers per (source, codec) and decides when an encoded branch starts and stops: it starts with the
 * first subscriber and stops once the last one has been gone for the linger time. A subscriber arriving during the
 * linger keeps the running branch. Used on the hub's control thread only.
 */
final class Demand {

    interface Listener {
        void startBranch(String sourceId, String codec);

        void stopBranch(String sourceId, String codec);
    }

    private record Key(String sourceId, String codec) {
    }

    private final Listener listener;
    private final Scheduler scheduler;
    private long lingerMillis;
    private final Map<Key, Integer> counts = new HashMap<>();
    private final Map<Key, Scheduler.Cancellable> lingering = new HashMap<>();

    Demand(Listener listener, Scheduler scheduler, long lingerMillis) {
        this.listener = listener;
        this.scheduler = scheduler;
        this.lingerMillis = lingerMillis;
    }

    void setLingerMillis(long lingerMillis) {
        this.lingerMillis = lingerMillis;
    }

    void acquire(String sourceId, String codec) {
        Key key = new Key(sourceId, codec);
        int count = counts.merge(key, 1, Integer::sum);
        if (count == 1) {
            Scheduler.Cancellable pendingStop = lingering.remove(key);
            if (pendingStop != null) {
                pendingStop.cancel();
            } else {
                listener.startBranch(sourceId, codec);
            }
        }
    }

    void release(String sourceId, String codec) {
        Key key = new Key(sourceId, codec);
        Integer count = counts.get(key);
        if (count == null) {
            return; // already dropped with its source
        }
        if (count > 1) {
            counts.put(key, count - 1);
            return;
        }
        counts.remove(key);
        lingering.put(key, scheduler.schedule(() -> {
            if (lingering.remove(key) != null) {
                listener.stopBranch(sourceId, codec);
            }
        }, lingerMillis));
    }

    /** Forgets a source that went away: its branches are stopped by the caller, no timer fires for them. */
    void dropSource(String sourceId) {
        counts.keySet().removeIf(key -> key.sourceId().equals(sourceId));
        lingering.entrySet().removeIf(entry -> {
            if (entry.getKey().sourceId().equals(sourceId)) {
                entry.getValue().cancel();
                return true;
            }
            return false;
        });
    }

    int subscribers(String sourceId, String codec) {
        return counts.getOrDefault(new Key(sourceId, codec), 0);
    }

    /** Codecs of the source that are running, whether subscribed or lingering. */
    Set<String> activeCodecs(String sourceId) {
        Set<String> codecs = new LinkedHashSet<>();
        for (Key key : counts.keySet()) {
            if (key.sourceId().equals(sourceId)) {
                codecs.add(key.codec());
            }
        }
        for (Key key : lingering.keySet()) {
            if (key.sourceId().equals(sourceId)) {
                codecs.add(key.codec());
            }
        }
        return codecs;
    }
}
