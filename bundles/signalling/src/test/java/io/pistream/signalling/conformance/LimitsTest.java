package io.pistream.signalling.conformance;

import static org.awaitility.Awaitility.await;
import static io.pistream.signalling.conformance.TestClient.q;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.signalling.internal.jetty.SignallingSettings;
import io.pistream.signalling.internal.router.Refusals;
import io.pistream.signalling.internal.router.SignallingLimits;
import io.pistream.signalling.testing.TestAccessControl;

/**
 * Nothing one client, or many, can send or fail to read exhausts the device or delays the other peers: a client
 * that stops reading is disconnected when its queued bytes pass the limit; many at once hold at most their queues;
 * a client over the message rate has the excess dropped (and is told), one that floods is disconnected; peers,
 * sessions and meta are capped, each refusal saying why. The heap figures are this test JVM's, which the build runs
 * with the device's 160 MiB.
 */
class LimitsTest {

    private static final SignallingSettings DEFAULTS = SignallingSettings.defaults();

    // ------------------------------------------------------------------------------------------
    // clients that do not read

    @Test
    void aClientThatStopsReadingIsDisconnectedAndDelaysNoOne() throws Exception {
        try (TestServer server = TestServer.startWithSmallSocketBuffers(DEFAULTS)) {
            URI uri = server.ws("/signalling");
            GoodPair pair = goodPair(uri);
            TestClient listener = listener(uri);
            try (RawClient stuck = new RawClient(server.port(), "/signalling", 4096);
                    HeapProbe heap = HeapProbe.start()) {
                long before = HeapProbe.usedAfterGc();
                String stuckId = TestClient.tree(stuck.readText()).get("peerId").asText();
                stuck.sendText(q("{'type':'setPeerStatus','roles':['consumer']}"));
                listener.next();
                TestClient flooder = TestClient.connect(uri); // a talk user pushing large candidates at it
                flooder.sendQ("{'type':'startSession','peerId':'" + stuckId + "'}");
                String session = flooder.next().get("sessionId").asText();
                pair.start();
                String candidate = "c".repeat(200_000);
                for (int i = 0; i < 20; i++) {
                    flooder.send(q("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'") + candidate
                            + q("','sdpMLineIndex':0}}"));
                }
                flooder.expectQ("{'type':'endSession','sessionId':'" + session + "'}");
                listener.expectQ("{'type':'peerStatusChanged','roles':[],'meta':" + TestClient.stamped("null")
                        + ",'peerId':'" + stuckId + "'}");
                assertTrue(stuck.drainUntilClosed(10_000), "the server dropped the connection");
                Thread.sleep(1000); // the pair goes on meanwhile
                pair.close();
                long after = HeapProbe.usedOnceReleased(before, 8 << 20, "nothing of it is held: %s");
                System.out.printf("stuck client: disconnected past %d queued bytes; good pair %s; heap %s before,"
                        + " %s peak (garbage included), %s after, of %s%n",
                        DEFAULTS.limits().sendQueueBytes(), pair.summary(),
                        HeapProbe.mib(before), HeapProbe.mib(heap.peak()), HeapProbe.mib(after),
                        HeapProbe.mib(HeapProbe.max()));
                assertNull(pair.failure());
                assertTrue(pair.roundTrips() > 10, "round trips: " + pair.roundTrips());
                assertEquals(1, server.endpoint().refusals().get(Refusals.Reason.SEND_QUEUE));
                flooder.abort();
            }
        }
    }

    @Test
    void manyClientsThatStopReadingHoldNoMoreThanTheirQueues() throws Exception {
        SignallingLimits limits = DEFAULTS.limits();
        try (TestServer server = TestServer.startWithSmallSocketBuffers(DEFAULTS)) {
            URI uri = server.ws("/signalling");
            GoodPair pair = goodPair(uri);
            int count = limits.maxPeers() - 2;
            List<RawClient> stuck = new ArrayList<>();
            Map<String, RawClient> byId = new HashMap<>();
            // the device's own producer (not limited in rate) sends them all it can, as fast as it can
            TestClient device = TestClient.connectAs(uri, TestAccessControl.DEVICE_TOKEN);
            try (HeapProbe heap = HeapProbe.start()) {
                long before = HeapProbe.usedAfterGc();
                for (int i = 0; i < count; i++) {
                    RawClient client = new RawClient(server.port(), "/signalling", 4096);
                    stuck.add(client);
                    String id = TestClient.tree(client.readText()).get("peerId").asText();
                    byId.put(id, client);
                    client.sendText(q("{'type':'setPeerStatus','roles':['consumer']}"));
                }
                assertEquals(limits.maxPeers(), server.endpoint().router().peers().size() - 1);
                List<String> sessions = new ArrayList<>();
                for (String id : byId.keySet()) {
                    device.sendQ("{'type':'startSession','peerId':'" + id + "'}");
                    JsonNode started = device.next();
                    while (!started.path("type").asText().equals("startSession")) {
                        started = device.next();
                    }
                    sessions.add(started.get("sessionId").asText());
                }
                pair.start();
                String candidate = "c".repeat(limits.maxMessageSize() - 200);
                for (int round = 0; round < 6; round++) { // 6 x 256 KiB: past the 1 MiB of each queue
                    for (String session : sessions) {
                        device.send(q("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'")
                                + candidate + q("','sdpMLineIndex':0}}"));
                    }
                }
                for (int i = 0; i < count; i++) {
                    assertEquals("endSession", device.next().get("type").asText());
                }
                for (RawClient client : stuck) {
                    assertTrue(client.drainUntilClosed(10_000));
                }
                pair.close();
                long peak = heap.peak();
                long after = HeapProbe.usedOnceReleased(before, 8 << 20, "nothing of it is held: %s");
                System.out.printf("%d clients not reading, %d x %s sent to each: all disconnected; good pair %s;"
                        + " heap %s before, %s peak (garbage included), %s after, of %s%n",
                        count, 6, HeapProbe.mib(limits.maxMessageSize()), pair.summary(),
                        HeapProbe.mib(before), HeapProbe.mib(peak), HeapProbe.mib(after),
                        HeapProbe.mib(HeapProbe.max()));
                assertNull(pair.failure());
                assertEquals(count, server.endpoint().refusals().get(Refusals.Reason.SEND_QUEUE));
            } finally {
                for (RawClient client : stuck) {
                    client.close();
                }
                device.abort();
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // peers, rate, sessions, meta

    @Test
    void peersAreCappedButTheDevicesOwnAreNot() throws Exception {
        SignallingSettings settings = DEFAULTS.withLimits(DEFAULTS.limits().withMaxPeers(3));
        try (TestServer server = TestServer.start(settings)) {
            URI uri = server.ws("/signalling");
            List<TestClient> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(TestClient.connect(uri));
            }
            HttpResponse<String> refused = AuthenticationTest.refusedHandshake(uri,
                    TestClient.bearer(TestAccessControl.TALK_TOKEN));
            assertEquals(503, refused.statusCode());
            String answer = AuthenticationTest.rawHandshake(server.port(), "/", TestAccessControl.VIEWER_TOKEN);
            assertTrue(answer.startsWith("HTTP/1.1 503 ") && answer.contains("Too many peers: 3 connected"), answer);
            // the device's producer and receiver still get in
            TestClient device = TestClient.connectAs(uri, TestAccessControl.DEVICE_TOKEN);
            // one leaves: there is room again
            clients.remove(0).close();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoint().router().peers().size() <= 3);
            clients.add(TestClient.connect(uri));
            assertEquals(4, server.endpoint().router().peers().size());
            assertEquals(2, server.endpoint().refusals().get(Refusals.Reason.TOO_MANY_PEERS));
            device.abort();
            clients.forEach(TestClient::abort);
        }
    }

    @Test
    void messagesOverTheRateAreDroppedAndTheClientIsTold() throws Exception {
        SignallingLimits limits = DEFAULTS.limits();
        try (TestServer server = TestServer.start(DEFAULTS)) {
            URI uri = server.ws("/signalling");
            TestClient client = TestClient.connect(uri);
            for (int i = 0; i < 200; i++) {
                client.sendQ("{'type':'list'}");
            }
            client.sendQ("{'type':'list'}");
            Thread.sleep(300);
            int lists = 0;
            List<String> errors = new ArrayList<>();
            String text;
            while ((text = client.poll(200)) != null) {
                JsonNode message = TestClient.tree(text);
                if (message.get("type").asText().equals("list")) {
                    lists++;
                } else {
                    errors.add(message.path("details").asText());
                }
            }
            // the burst, and what the rate refilled while the 200 were sent
            assertTrue(lists >= limits.messageBurst() && lists < limits.messageBurst() + 30, "lists: " + lists);
            assertEquals(List.of("Too many messages: at most 50 a second (50 at once); the messages over that are"
                    + " dropped"), errors);
            assertEquals(201 - lists, server.endpoint().refusals().get(Refusals.Reason.RATE));
            // a second later the client is back within its rate
            Thread.sleep(1100);
            for (int i = 0; i < 10; i++) {
                client.sendQ("{'type':'list'}");
                client.expectQ("{'type':'list','producers':[]}");
            }
            // the device's own peers are not limited
            TestClient device = TestClient.connectAs(uri, TestAccessControl.DEVICE_TOKEN);
            for (int i = 0; i < 500; i++) {
                device.sendQ("{'type':'list'}");
            }
            for (int i = 0; i < 500; i++) {
                assertEquals("list", device.next().get("type").asText());
            }
            client.abort();
            device.abort();
        }
    }

    @Test
    void aFloodingClientIsDisconnectedWithAReason() throws Exception {
        try (TestServer server = TestServer.start(DEFAULTS)) {
            URI uri = server.ws("/signalling");
            TestClient listener = listener(uri);
            TestClient flooder = TestClient.connect(uri);
            flooder.sendQ("{'type':'setPeerStatus','roles':['listener']}");
            flooder.next();
            listener.next();
            int sent = 0;
            try {
                while (!flooder.isClosed() && sent < 100_000) {
                    flooder.sendQ("{'type':'listConsumers'}");
                    sent++;
                }
            } catch (RuntimeException e) {
                // the server may have dropped the connection while we were still sending
            }
            assertEquals(1008, flooder.awaitClose());
            assertEquals("Message rate exceeded: at most 50 messages a second", flooder.closeReason());
            listener.expectQ("{'type':'peerStatusChanged','roles':[],'meta':" + TestClient.stamped("null")
                    + ",'peerId':'" + flooder.id() + "'}");
            assertEquals(1, server.endpoint().refusals().get(Refusals.Reason.FLOOD));
            System.out.printf("flood: disconnected after %d messages, %d dropped%n", sent,
                    server.endpoint().refusals().get(Refusals.Reason.RATE));
            listener.abort();
        }
    }

    @Test
    void sessionsAndMetaAreCapped() throws Exception {
        SignallingLimits limits = DEFAULTS.limits();
        try (TestServer server = TestServer.start(DEFAULTS)) {
            URI uri = server.ws("/signalling");
            TestClient producer = TestClient.connect(uri);
            producer.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'"
                    + "x".repeat(limits.maxMetaBytes()) + "'}}");
            producer.expectError("The meta of peer " + producer.id() + " has " + (limits.maxMetaBytes() + 11)
                    + " bytes, more than the " + limits.maxMetaBytes() + " allowed");
            producer.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'cam'}}");
            producer.expectNothing();
            TestClient consumer = TestClient.connect(uri);
            for (int i = 0; i < limits.maxSessionsPerPeer(); i++) {
                consumer.sendQ("{'type':'startSession','peerId':'" + producer.id() + "'}");
                assertEquals("sessionStarted", consumer.next().get("type").asText());
                assertEquals("startSession", producer.next().get("type").asText());
            }
            consumer.sendQ("{'type':'startSession','peerId':'" + producer.id() + "'}");
            consumer.expectError("Peer " + consumer.id() + " (user 'tester') has " + limits.maxSessionsPerPeer()
                    + " open sessions it started, the most allowed: end one first");
            producer.expectNothing();
            producer.abort();
            consumer.abort();
        }
    }

    // ------------------------------------------------------------------------------------------

    private static TestClient listener(URI uri) {
        TestClient listener = TestClient.connect(uri);
        listener.sendQ("{'type':'setPeerStatus','roles':['listener']}");
        listener.next();
        return listener;
    }

    /** A producer and a consumer of the test user in a session, not started yet. */
    static GoodPair goodPair(URI uri) {
        TestClient producer = TestClient.connect(uri);
        producer.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'good'}}");
        producer.expectNothing();
        TestClient consumer = TestClient.connectAs(uri, TestAccessControl.VIEWER_TOKEN);
        consumer.sendQ("{'type':'startSession','peerId':'" + producer.id() + "'}");
        String session = consumer.next().get("sessionId").asText();
        assertEquals("startSession", producer.next().get("type").asText());
        return new GoodPair(producer, consumer, session);
    }
}
