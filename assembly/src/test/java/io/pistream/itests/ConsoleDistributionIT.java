package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * The pistream page of the web console answers the admin over HTTPS and refuses anonymous users. It needs only the
 * core: RTSP, WebRTC and the recorder appear on it when their features are installed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleDistributionIT extends PistreamTestSupport {

    private static final String PASSWORD = TEST_PASSWORD;

    private final FeaturesService features = liveFeatures();

    @Inject
    private BundleContext context;

    @Inject
    private io.pistream.api.MediaHub hub;

    @Configuration
    public Option[] config() {
        return distribution(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", freePort()),
                editConfigurationFilePut("etc/io.pistream.rtsp.cfg", "port", freePort()),
                editConfigurationFilePut("etc/io.pistream.rtsp.cfg", "address", "127.0.0.1"));
    }

    @Test
    public void pistreamPageIsForTheAdminOnly() throws Exception {
        features.installFeature("pistream-console", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        features.installFeature("camera", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path ca = etc.resolve("pki").resolve("ca.crt");
        awaitTrue(() -> Files.exists(ca), 60_000, "the CA certificate exists");
        URI page = URI.create("https://localhost:" + httpsPort()
                + "/system/console/pistream");
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5))
                .build();
        awaitTrue(() -> status(client, page, null) == 401, 60_000, "anonymous users are refused (401)");
        awaitTrue(() -> status(client, page, "admin") == 200, 30_000, "the admin gets the page");
        String html = client.send(request(page, "admin"), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(html, html.contains("Sources") && html.contains("camera"));
        assertEquals("a user without the admin role is refused", 401, status(client, page, "viewer"));

        for (String optional : List.of("io.pistream.rtsp", "io.pistream.webrtc", "io.pistream.webrtc.core",
                "io.pistream.recorder")) {
            assertTrue(optional + " is not pulled in by pistream-console", Arrays.stream(context.getBundles())
                    .noneMatch(bundle -> optional.equals(bundle.getSymbolicName())));
        }
        assertFalse(html, html.contains("<h2>RTSP"));
        actionsNeedThePagesFormToken(client, page);
        // With refresh: the console bundle is rewired to the package it imports optionally.
        features.installFeature("rtsp");
        awaitTrue(() -> body(client, page).contains("<h2>RTSP on port"), 60_000,
                "the page shows the RTSP server once the rtsp feature is installed");
    }

    /** A POST acts only with the token of the page the admin was shown (no cross-site form can act). */
    private void actionsNeedThePagesFormToken(HttpClient client, URI page) throws Exception {
        features.installFeature("pistream-h264", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        io.pistream.api.Subscription watching = hub.subscribe("camera", io.pistream.api.Codecs.H264,
                new io.pistream.api.EncodedStreamSink() {
                    @Override
                    public void onCaps(String caps) {
                    }

                    @Override
                    public boolean onBuffer(io.pistream.api.EncodedBuffer buffer) {
                        return true;
                    }
                });
        try {
            awaitTrue(() -> body(client, page).contains("value='restart'"), 60_000, "the running camera has a Restart button");
            HttpResponse<String> shown = client.send(request(page, "admin"), HttpResponse.BodyHandlers.ofString());
            String cookie = shown.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            java.util.regex.Matcher token = java.util.regex.Pattern
                    .compile("name='pistream-token' value='([^']+)'").matcher(shown.body());
            assertTrue(shown.body(), token.find());
            String action = "action=restart&source=camera&pistream-token=";
            assertEquals("no token, no action", 403, post(client, page, cookie, action).statusCode());
            assertEquals("a wrong token, no action", 403, post(client, page, cookie, action + "x" + token.group(1))
                    .statusCode());
            HttpResponse<String> done = post(client, page, cookie, action + token.group(1));
            assertTrue(done.statusCode() + " " + done.body(), done.statusCode() < 400);
        } finally {
            watching.close();
        }
    }

    private static HttpResponse<String> post(HttpClient client, URI page, String cookie, String form) throws Exception {
        return client.send(HttpRequest.newBuilder(page).timeout(Duration.ofSeconds(10))
                .header("Authorization", basic("admin")).header("Cookie", cookie)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String body(HttpClient client, URI page) {
        try {
            return client.send(request(page, "admin"), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static HttpRequest request(URI uri, String user) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (user != null) {
            builder.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    private static int status(HttpClient client, URI uri, String user) {
        try {
            return client.send(request(uri, user), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
