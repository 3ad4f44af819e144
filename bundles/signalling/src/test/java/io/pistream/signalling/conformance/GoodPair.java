package io.pistream.signalling.conformance;

import static io.pistream.signalling.conformance.TestClient.q;

import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A producer and a consumer in a session that keep exchanging messages, as an authenticated pair would while
 * others misbehave: each round trip is an ICE candidate from the producer answered by one from the consumer. Runs on
 * a thread of its own, and records the round trips, the slowest one, and the first failure (a message that did not
 * arrive within the deadline).
 */
final class GoodPair implements AutoCloseable {

    /** A round trip slower than this fails the pair: the server has let others delay it. */
    static final long DEADLINE_MILLIS = 5000;

    private final TestClient producer;
    private final TestClient consumer;
    private final String session;
    private final Thread thread;
    private volatile boolean stop;
    private volatile long roundTrips;
    private volatile long slowestNanos;
    private volatile String failure;
    private final java.util.List<Long> latencies = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    GoodPair(TestClient producer, TestClient consumer, String session) {
        this.producer = producer;
        this.consumer = consumer;
        this.session = session;
        this.thread = new Thread(this::run, "good-pair");
        this.thread.setDaemon(true);
    }

    GoodPair start() {
        thread.start();
        return this;
    }

    private void run() {
        long n = 0;
        while (!stop && failure == null) {
            n++;
            long start = System.nanoTime();
            try {
                producer.send(ice("ping-" + n));
                await(consumer, "ping-" + n);
                consumer.send(ice("pong-" + n));
                await(producer, "pong-" + n);
            } catch (RuntimeException | AssertionError | InterruptedException e) {
                failure = "round trip " + n + ": " + e;
                return;
            }
            slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
            roundTrips = n;
            latencies.add(System.nanoTime() - start);
            try {
                Thread.sleep(40); // about 20 round trips a second: a live session, within the message rate
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private String ice(String candidate) {
        return q("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'" + candidate
                + "','sdpMLineIndex':0}}");
    }

    /** Reads until the candidate arrives; anything else for this peer (none is expected) is skipped. */
    private void await(TestClient client, String candidate) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MILLIS);
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            String text = left > 0 ? client.poll(left) : null;
            if (text == null) {
                throw new AssertionError(candidate + " did not arrive within " + DEADLINE_MILLIS + " ms");
            }
            JsonNode message = TestClient.tree(text);
            if (message.path("ice").path("candidate").asText().equals(candidate)) {
                return;
            }
        }
    }

    long roundTrips() {
        return roundTrips;
    }

    long slowestMillis() {
        return TimeUnit.NANOSECONDS.toMillis(slowestNanos);
    }

    /** The round trip time that {@code fraction} of them did not exceed, in milliseconds. */
    double percentileMillis(double fraction) {
        java.util.List<Long> sorted;
        synchronized (latencies) {
            sorted = new java.util.ArrayList<>(latencies);
        }
        if (sorted.isEmpty()) {
            return 0;
        }
        java.util.Collections.sort(sorted);
        int index = Math.min(sorted.size() - 1, (int) Math.ceil(fraction * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    /** {@code N round trips, median M ms, 99 % under P ms, slowest S ms}. */
    String summary() {
        return String.format("%,d round trips, median %.1f ms, 99 %% under %.1f ms, slowest %d ms", roundTrips,
                percentileMillis(0.5), percentileMillis(0.99), slowestMillis());
    }

    /** The first failure, or null while every round trip succeeded. */
    String failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(DEADLINE_MILLIS * 2);
    }
}
