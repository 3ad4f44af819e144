package io.pistream.webrtc.internal.signaller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.testing.ProducerList;
import io.pistream.webrtc.testing.SignallingServer;

/** The device's signalling client against the real server, which authenticates every handshake. */
class SignallerAuthenticationTest {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private Signaller producer(SignallingServer server, WebSocketConnector connector) {
        Signaller signaller = new Signaller(server.url(), connector, List.of("producer"),
                JsonNodeFactory.instance.objectNode().put("name", "cam").put("pistream-user", "someone else"),
                new Signaller.Listener() {
                    @Override
                    public void onRegistered(String peerId) {
                    }

                    @Override
                    public void onDisconnected(String reason) {
                    }
                }, executor, new Signaller.Timing(60_000, 60_000, 0, 60_000));
        signaller.start();
        return signaller;
    }

    @Test
    void withTheDeviceTokenTheProducerRegistersAndTheServerVouchesForIt() throws Exception {
        try (SignallingServer server = SignallingServer.start();
                JdkWebSocketConnector device = SignallingServer.deviceConnector();
                JdkWebSocketConnector viewer = SignallingServer.connectorAs(TestAccessControl.VIEWER_TOKEN)) {
            Signaller signaller = producer(server, device);
            try {
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertTrue(signaller.peerId() != null, signaller.status().toString()));
                List<Signaller.Peer> producers = ProducerList.fetch(server.url(), viewer, 5_000);
                assertEquals(1, producers.size());
                assertEquals("cam", producers.get(0).meta().path("name").asText());
                // what the client claimed is overwritten with the user the server authenticated
                assertEquals("device", producers.get(0).meta().path("pistream-user").asText());
            } finally {
                signaller.close();
            }
        }
    }

    @Test
    void withoutATokenTheHandshakeIsRefusedAndTheStatusSaysWhy() throws Exception {
        try (SignallingServer server = SignallingServer.start();
                JdkWebSocketConnector anonymous = new JdkWebSocketConnector(null, Duration.ofSeconds(5))) {
            Signaller signaller = producer(server, anonymous);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> signaller.status().lastError() != null);
                assertNull(signaller.peerId());
                assertEquals("cannot connect to " + server.url() + ": IOException: the signalling server refused the"
                        + " handshake with HTTP 401: not authenticated (the device token, or signalling.token for"
                        + " another server)", signaller.status().lastError());
            } finally {
                signaller.close();
            }
        }
    }

    @Test
    void aViewerCannotRegisterAsProducerAndTheStatusSaysWhy() throws Exception {
        try (SignallingServer server = SignallingServer.start();
                JdkWebSocketConnector viewer = SignallingServer.connectorAs(TestAccessControl.VIEWER_TOKEN)) {
            Signaller signaller = producer(server, viewer);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> signaller.status().lastError() != null);
                String error = signaller.status().lastError();
                assertTrue(error.startsWith("server: Peer ") && error.endsWith("(user 'alice') may not register as"
                        + " producer: it needs the role talk"), error);
                assertTrue(ProducerList.fetch(server.url(), viewer, 5_000).isEmpty());
            } finally {
                signaller.close();
            }
        }
    }
}
