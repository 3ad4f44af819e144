package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;


import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * feature:install signalling serves the signalling protocol over WSS with the certificate the platform makes on
 * first start, at the root (as webrtcsrc and gstwebrtc-api connect) and at /signalling.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SignallingDistributionIT extends PistreamTestSupport {


    private final FeaturesService features = liveFeatures();

    @Configuration
    public Option[] config() {
        return distribution(editConfigurationFilePut("etc/org.ops4j.pax.web.cfg",
                "org.osgi.service.http.port.secure", freePort()));
    }

    @Test
    public void signallingAnswersOverWssWithTheDeviceCertificate() throws Exception {
        features.installFeature("web-app", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path ca = Path.of(System.getProperty("karaf.etc"), "pki", "ca.crt");
        awaitTrue(() -> Files.exists(ca), 60_000, "the CA certificate is created on first start");
        // the port chosen in config() (which runs in the test's JVM, not in the container)
        String httpsPort = String.valueOf(httpsPort());
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5))
                .build();
        String base = "wss://localhost:" + httpsPort;
        // the servlets and filters of the connector (signalling at two paths, the HTTP door and its login
        // endpoint) register one after the other, and Pax Web restarts the context for each: wait for the last
        awaitTrue(() -> sessionEndpointStatus(client, httpsPort) == 401, 60_000, "the login endpoint answers");
        awaitTrue(() -> welcome(client, base + "/") != null, 60_000, "WSS answers at the root");
        String[] welcome = new String[1];
        awaitTrue(() -> (welcome[0] = welcome(client, base + "/signalling")) != null, 60_000,
                "WSS answers at /signalling");
        assertTrue(welcome[0], welcome[0].contains("\"type\":\"welcome\"") && welcome[0].contains("\"peerId\""));

        // the web app's own GETs are still served at the root
        String https = "https://localhost:" + httpsPort;
        HttpResponse<String> root = client.send(HttpRequest.newBuilder(URI.create(https + "/")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("GET / serves the app", 200, root.statusCode());
        assertTrue(root.body(), root.body().contains("<title>pistream</title>"));
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(https + "/index.html")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body(), page.body().contains("<title>pistream</title>"));
        String policy = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(policy, policy.contains("script-src 'self'") && policy.contains("connect-src 'self' wss://localhost:"));
        HttpResponse<String> library = client.send(HttpRequest.newBuilder(URI.create(https + "/lib/gstwebrtc-api.js"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, library.statusCode());
        assertTrue(library.body().contains("GstWebRTCAPI"));
    }

    private static int sessionEndpointStatus(HttpClient client, String port) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/session")).GET()
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Connects and returns the first message (the server's welcome), or null when the connection fails. */
    private static String welcome(HttpClient client, String url) {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try {
            WebSocket socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                    .header("Authorization", basic(VIEWER))
                    .buildAsync(URI.create(url), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            messages.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            String first = messages.poll(10, TimeUnit.SECONDS);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            return first;
        } catch (Exception e) {
            return null;
        }
    }
}
