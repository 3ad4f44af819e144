package io.pistream.gstreamer.internal;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Counts subscribers per (source, branch), a branch being what one encoder makes (a codec at a tier), and decides
 * when a branch starts and stops: it starts with the first subscriber and stops once the last one has been gone for
 * the linger time. A subscriber arriving during the linger keeps the running branch. Used on the hub's control thread
 * only.
 */
final class Demand<B> {

    interface Listener<B> {
        void startBranch(String sourceId, B branch);

        void stopBranch(String sourceId, B branch);
    }

    private record Key<B>(String sourceId, B branch) {
    }

    private final Listener<B> listener;
    private final Scheduler scheduler;
    private long lingerMillis;
    private final Map<Key<B>, Integer> counts = new HashMap<>();
    private final Map<Key<B>, Scheduler.Cancellable> lingering = new HashMap<>();

    Demand(Listener<B> listener, Scheduler scheduler, long lingerMillis) {
        this.listener = listener;
        this.scheduler = scheduler;
        this.lingerMillis = lingerMillis;
    }

    void setLingerMillis(long lingerMillis) {
        this.lingerMillis = lingerMillis;
    }

    void acquire(String sourceId, B branch) {
        Key<B> key = new Key<>(sourceId, branch);
        int count = counts.merge(key, 1, Integer::sum);
        if (count == 1) {
            Scheduler.Cancellable pendingStop = lingering.remove(key);
            if (pendingStop != null) {
                pendingStop.cancel();
            } else {
                listener.startBranch(sourceId, branch);
            }
        }
    }

    void release(String sourceId, B branch) {
        Key<B> key = new Key<>(sourceId, branch);
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
                listener.stopBranch(sourceId, branch);
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

    int subscribers(String sourceId, B branch) {
        return counts.getOrDefault(new Key<>(sourceId, branch), 0);
    }

    /** Branches of the source that are running, whether subscribed or lingering. */
    Set<B> activeBranches(String sourceId) {
        Set<B> branches = new LinkedHashSet<>();
        for (Key<B> key : counts.keySet()) {
            if (key.sourceId().equals(sourceId)) {
                branches.add(key.branch());
            }
        }
        for (Key<B> key : lingering.keySet()) {
            if (key.sourceId().equals(sourceId)) {
                branches.add(key.branch());
            }
        }
        return branches;
    }
}
