package io.pistream.webrtc.internal.signaller;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.testing.SignallingServer;

/** wss:// to the real signalling server with a certificate of a CA given as a PEM file (trust.ca). */
class TlsSignallingTest {

    @TempDir
    Path directory;

    private void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
    }

    @Test
    void trustsTheConfiguredCaAndOnlyIt() throws Exception {
        Path keyStore = directory.resolve("server.p12");
        Path ca = directory.resolve("ca.crt");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=pistream test", "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", "secret123", "-keypass", "secret123");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keyStore.toString(), "-storepass",
                "secret123", "-file", ca.toString());
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        try (SignallingServer server = SignallingServer.startTls(keyStore, "secret123");
                JdkWebSocketConnector trusting = new JdkWebSocketConnector(ca, Duration.ofSeconds(5),
                        () -> TestAccessControl.DEVICE_TOKEN);
                JdkWebSocketConnector jdkDefault = new JdkWebSocketConnector(null, Duration.ofSeconds(5),
                        () -> TestAccessControl.DEVICE_TOKEN)) {
            assertTrue(server.url().toString().startsWith("wss://127.0.0.1:"));
            Signaller good = signaller(server, trusting, executor);
            Signaller refused = signaller(server, jdkDefault, executor);
            try {
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertTrue(good.peerId() != null,
                                "registered over wss: " + good.status()));
                await().atMost(Duration.ofSeconds(10)).until(() -> refused.status().lastError() != null);
                assertNull(refused.peerId());
                String error = refused.status().lastError();
                assertTrue(error.contains("certification path") || error.contains("PKIX") || error.contains("SSL"),
                        error);
            } finally {
                good.close();
                refused.close();
            }
        } finally {
            executor.shutdown();
        }
    }

    private static Signaller signaller(SignallingServer server, WebSocketConnector connector,
            ScheduledExecutorService executor) {
        Signaller signaller = new Signaller(server.url(), connector, List.of("producer"), null,
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
}
