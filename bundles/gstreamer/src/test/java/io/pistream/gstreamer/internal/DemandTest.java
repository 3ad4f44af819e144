package io.pistream.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DemandTest {

    /** A scheduler on a fake clock: tasks run when the test advances time. */
    private static final class FakeScheduler implements Scheduler {
        private record Task(long due, long order, Runnable action, boolean[] cancelled) {
        }

        private final PriorityQueue<Task> queue = new PriorityQueue<>(
                (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
        private long now;
        private long order;

        @Override
        public Cancellable schedule(Runnable action, long delayMillis) {
            boolean[] cancelled = {false};
            queue.add(new Task(now + delayMillis, order++, action, cancelled));
            return () -> cancelled[0] = true;
        }

        void advance(long millis) {
            long target = now + millis;
            while (!queue.isEmpty() && queue.peek().due <= target) {
                Task task = queue.poll();
                now = task.due;
                if (!task.cancelled[0]) {
                    task.action.run();
                }
            }
            now = target;
        }
    }

    private final List<String> events = new ArrayList<>();
    private final FakeScheduler scheduler = new FakeScheduler();
    private final Demand<String> demand = new Demand<>(new Demand.Listener<>() {
        @Override
        public void startBranch(String sourceId, String codec) {
            events.add("start " + sourceId + "/" + codec);
        }

        @Override
        public void stopBranch(String sourceId, String codec) {
            events.add("stop " + sourceId + "/" + codec);
        }
    }, scheduler, 10_000);

    @Test
    void firstSubscriberStartsAndOthersShare() {
        for (int i = 0; i < 10; i++) {
            demand.acquire("cam", "H264");
        }
        assertEquals(List.of("start cam/H264"), events);
        assertEquals(10, demand.subscribers("cam", "H264"));
    }

    @Test
    void lastSubscriberLeavingStopsOnlyAfterTheLinger() {
        demand.acquire("cam", "H264");
        demand.acquire("cam", "H264");
        demand.release("cam", "H264");
        demand.release("cam", "H264");
        scheduler.advance(9_999);
        assertEquals(List.of("start cam/H264"), events);
        assertEquals(Set.of("H264"), demand.activeBranches("cam"), "a lingering branch still runs");
        scheduler.advance(1);
        assertEquals(List.of("start cam/H264", "stop cam/H264"), events);
        assertTrue(demand.activeBranches("cam").isEmpty());
    }

    @Test
    void subscriberArrivingDuringTheLingerKeepsTheRunningBranch() {
        demand.acquire("cam", "H264");
        demand.release("cam", "H264");
        scheduler.advance(5_000);
        demand.acquire("cam", "H264");
        scheduler.advance(60_000);
        assertEquals(List.of("start cam/H264"), events);
        demand.release("cam", "H264");
        scheduler.advance(10_000);
        assertEquals(List.of("start cam/H264", "stop cam/H264"), events);
    }

    @Test
    void codecsAndSourcesAreCountedApart() {
        demand.acquire("cam", "H264");
        demand.acquire("cam", "VP8");
        demand.acquire("mic", "OPUS");
        demand.release("cam", "VP8");
        scheduler.advance(10_000);
        assertEquals(List.of("start cam/H264", "start cam/VP8", "start mic/OPUS", "stop cam/VP8"), events);
        assertEquals(Set.of("H264"), demand.activeBranches("cam"));
        assertEquals(1, demand.subscribers("mic", "OPUS"));
    }

    @Test
    void droppedSourceFiresNoTimerAndIgnoresLateReleases() {
        demand.acquire("cam", "H264");
        demand.acquire("cam", "VP8");
        demand.release("cam", "VP8");
        demand.dropSource("cam");
        demand.release("cam", "H264");
        scheduler.advance(60_000);
        assertEquals(List.of("start cam/H264", "start cam/VP8"), events);
        assertTrue(demand.activeBranches("cam").isEmpty());
        assertEquals(0, demand.subscribers("cam", "H264"));
    }

    @Test
    void zeroLingerStopsAtOnceOnTheNextTick() {
        demand.setLingerMillis(0);
        demand.acquire("cam", "H264");
        demand.release("cam", "H264");
        scheduler.advance(0);
        assertEquals(List.of("start cam/H264", "stop cam/H264"), events);
    }
}
