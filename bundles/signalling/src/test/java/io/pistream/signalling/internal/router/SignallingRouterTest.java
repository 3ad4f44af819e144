package io.pistream.signalling.internal.router;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.signalling.protocol.MessageCodec;

/**
 * The router thread: order, parsing off-thread, back-pressure, and no deadlock when a connection
 * reports its own failure from inside a send.
 */
class SignallingRouterTest {

    private static final PeerIdentity TESTER =
            new PeerIdentity(new Caller("tester", EnumSet.of(Role.VIEWER, Role.TALK), "token"), false);

    private static final class Connection implements PeerConnection {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        volatile boolean closed;
        volatile Runnable onSend;

        @Override
        public boolean send(String text) {
            received.add(text);
            Runnable hook = onSend;
            if (hook != null) {
                hook.run();
            }
            return !closed;
        }

        @Override
        public void close() {
            closed = true;
        }

        String next() throws InterruptedException {
            String text = received.poll(5, TimeUnit.SECONDS);
            if (text == null) {
                throw new AssertionError("nothing received");
            }
            return text;
        }
    }

    @Test
    void eventsAreHandledInOrder() throws Exception {
        try (SignallingRouter router = new SignallingRouter(new MessageCodec(), SignallingLimits.defaults(), new Refusals())) {
            Connection c = new Connection();
            String id = router.connect(c, TESTER);
            router.receive(id, "not json");
            router.receive(id, "{\"type\":\"setPeerStatus\",\"roles\":[\"listener\"]}");
            for (int i = 0; i < 100; i++) {
                router.receive(id, "{\"type\":\"list\"}");
            }
            assertEquals("{\"type\":\"welcome\",\"peerId\":\"" + id + "\"}", c.next());
            assertTrue(c.next().startsWith("{\"type\":\"peerStatusChanged\""));
            for (int i = 0; i < 100; i++) {
                assertEquals("{\"type\":\"list\",\"producers\":[]}", c.next());
            }
            assertEquals(1, router.unparseableCount());
            assertEquals(1, router.peers().size());
            router.disconnect(id);
            router.disconnect(id);
            assertEquals(0, router.peers().size());
        }
    }

    @Test
    void manyThreadsThroughASmallInbox() throws Exception {
        MessageCodec codec = new MessageCodec();
        try (SignallingRouter router = new SignallingRouter(codec,
                new SessionRouter(codec, SignallingLimits.defaults(), new Refusals()), 2, 1 << 20)) {
            List<Connection> connections = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Connection c = new Connection();
                connections.add(c);
                ids.add(router.connect(c, TESTER));
            }
            CountDownLatch done = new CountDownLatch(ids.size());
            for (String id : ids) {
                new Thread(() -> {
                    for (int i = 0; i < 500; i++) {
                        router.receive(id, "{\"type\":\"listConsumers\"}");
                    }
                    done.countDown();
                }).start();
            }
            assertTrue(done.await(20, TimeUnit.SECONDS));
            for (Connection c : connections) {
                c.next(); // welcome
                for (int i = 0; i < 500; i++) {
                    assertEquals("{\"type\":\"listConsumers\",\"consumers\":[]}", c.next());
                }
            }
        }
    }

    @Test
    void theInboxIsBoundedInCharacters() throws Exception {
        MessageCodec codec = new MessageCodec();
        try (SignallingRouter router = new SignallingRouter(codec,
                new SessionRouter(codec, SignallingLimits.defaults(), new Refusals()), 1000, 10_000)) {
            Connection c = new Connection();
            String id = router.connect(c, TESTER);
            c.next();
            // hold the router thread, as a slow event would
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            new Thread(() -> router.query(state -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }, Duration.ofSeconds(10))).start();
            assertTrue(holding.await(5, TimeUnit.SECONDS));
            String large = "{\"type\":\"list\",\"pad\":\"" + "x".repeat(4000) + "\"}";
            CountDownLatch received = new CountDownLatch(3);
            Thread sender = new Thread(() -> {
                for (int i = 0; i < 3; i++) {
                    router.receive(id, large);
                    received.countDown();
                }
            });
            sender.start();
            // two fit in 10,000 characters, the third waits for room
            await().atMost(Duration.ofSeconds(5)).until(() -> received.getCount() == 1);
            Thread.sleep(300);
            assertEquals(1, received.getCount(), "the third message waits while the inbox is full");
            release.countDown();
            assertTrue(received.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 3; i++) {
                assertEquals("{\"type\":\"list\",\"producers\":[]}", c.next());
            }
        }
    }


    @Test
    void aConnectionFailingInsideSendDoesNotDeadlock() throws Exception {
        try (SignallingRouter router = new SignallingRouter(new MessageCodec(), SignallingLimits.defaults(), new Refusals())) {
            Connection listener = new Connection();
            String listenerId = router.connect(listener, TESTER);
            router.receive(listenerId, "{\"type\":\"setPeerStatus\",\"roles\":[\"listener\"]}");
            Connection failing = new Connection();
            String failingId = router.connect(failing, TESTER);
            AtomicBoolean fired = new AtomicBoolean();
            // like Jetty calling back onWebSocketClose on the router thread while a frame is written
            failing.onSend = () -> {
                if (fired.compareAndSet(false, true)) {
                    failing.closed = true;
                    router.disconnect(failingId);
                }
            };
            router.receive(failingId, "{\"type\":\"list\"}");
            listener.next();
            listener.next();
            assertEquals("{\"type\":\"peerStatusChanged\",\"roles\":[],\"meta\":{\"pistream-user\":\"tester\"},"
                + "\"peerId\":\"" + failingId + "\"}",
                    listener.next());
            assertEquals(1, router.query(SessionRouter::peerCount, Duration.ofSeconds(5)));
        }
    }

    @Test
    void closeClosesConnectionsAndLaterEventsAreIgnored() throws Exception {
        SignallingRouter router = new SignallingRouter(new MessageCodec(), SignallingLimits.defaults(), new Refusals());
        Connection c = new Connection();
        String id = router.connect(c, TESTER);
        c.next();
        router.close();
        assertTrue(c.closed);
        router.receive(id, "{\"type\":\"list\"}");
        router.disconnect(id);
        Connection late = new Connection();
        router.connect(late, TESTER);
        assertTrue(late.closed);
        router.close();
    }
}
