package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;
import javax.inject.Inject;
import javax.net.ssl.SSLContext;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.FrameworkWiring;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

/**
 * {@code /metrics} as Prometheus meets it: refused without credentials and for a caller who is neither viewer nor
 * administrator, valid for {@code promtool}, and scraped by a real Prometheus server over HTTPS with a bearer token
 * made in the shell. A picture taken with {@code pistream:snapshot} starts the camera, which the metrics then show.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MetricsDistributionIT extends PistreamTestSupport {

    private final FeaturesService features = liveFeatures();

    @Inject
    private SessionFactory shell;

    @Inject
    private BundleContext bundleContext;

    private SSLContext tls;
    private int port;
    private Path ca;
    private String viewerToken;

    @Configuration
    public Option[] config() {
        return distribution(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", freePort()),
                editConfigurationFilePut("etc/io.pistream.rtsp.cfg", "port", freePort()));
    }

    @Before
    public void metricsAreServed() throws Exception {
        EnumSet<FeaturesService.Option> options = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);
        features.installFeature("metrics", options);
        features.installFeature("snapshot", options);
        // installed after metrics, as a user may: feature:install then refreshes the metrics bundle ("should be
        // wired to io.pistream.signalling", its optional import) along with much else, the shell included; here
        // only the metrics bundle is refreshed, so that the test's shell session survives
        features.installFeature("signalling", options);
        Bundle metrics = java.util.Arrays.stream(bundleContext.getBundles())
                .filter(bundle -> "io.pistream.metrics".equals(bundle.getSymbolicName())).findFirst().orElseThrow();
        java.util.concurrent.CountDownLatch refreshed = new java.util.concurrent.CountDownLatch(1);
        bundleContext.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(metrics),
                event -> refreshed.countDown());
        assertTrue("the metrics bundle was refreshed", refreshed.await(30, TimeUnit.SECONDS));
        ca = Path.of(System.getProperty("karaf.etc"), "pki", "ca.crt");
        awaitTrue(() -> Files.exists(ca), 60_000, "the CA certificate exists");
        tls = trusting(ca);
        port = httpsPort();
        viewerToken = lastLine(execute(shell, "pistream:token create --role viewer --label prometheus --days 1"));
        assertEquals(viewerToken, 3, viewerToken.split("\\.").length);
        // Pax Web restarts the context for each servlet and filter that registers: wait until metrics and
        // signalling (the last to come) both answer
        awaitTrue(() -> status("GET /metrics HTTP/1.1\r\nAuthorization: Bearer " + viewerToken) == 200, 60_000,
                "/metrics answers a viewer's token");
        awaitTrue(() -> status("GET /signalling HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nAuthorization: Bearer "
                + viewerToken) == 101, 60_000, "signalling answers a viewer");
    }

    @Test
    public void prometheusScrapesTheDeviceWithAToken() throws Exception {
        assertEquals("no credentials", 401, status("GET /metrics HTTP/1.1"));
        String talkToken = lastLine(execute(shell, "pistream:token create --role talk --label talk-only --days 1"));
        RawHttps.Response talker = exchange("GET /metrics HTTP/1.1\r\nAuthorization: Bearer " + talkToken);
        assertEquals(talker.body(), 403, talker.status());

        // a picture through the shell: the camera starts on demand and lingers
        Path picture = Files.createTempDirectory("snapshot").resolve("camera.jpg");
        long start = System.nanoTime();
        String written = execute(shell, "pistream:snapshot camera " + picture + " --width 320");
        System.out.printf("pistream:snapshot of the cold camera in the distribution: %.0f ms%n",
                (System.nanoTime() - start) / 1e6);
        assertTrue(written, Files.exists(picture));
        BufferedImage image = ImageIO.read(picture.toFile());
        assertNotNull(written, image);
        assertEquals(320, image.getWidth());
        assertEquals(180, image.getHeight());
        String unknown = execute(shell, "pistream:snapshot nope " + picture);
        assertTrue(unknown, unknown.contains("UNKNOWN_SOURCE"));

        RawHttps.Response metrics = exchange("GET /metrics HTTP/1.1\r\nAuthorization: Bearer " + viewerToken);
        assertEquals(200, metrics.status());
        assertTrue(metrics.headers().toString(), metrics.headers().get("content-type").startsWith("text/plain"));
        String body = metrics.body();
        for (String expected : new String[] {"pistream_source_running{source=\"camera\"} 1.0",
            "pistream_encoder_subscribers{codec=\"JPEG\",source=\"camera\"}", "pistream_signalling_peers ",
            "pistream_signalling_refusals_total{reason=\"unauthenticated\"}", "process_resident_memory_bytes ",
            "process_cpu_seconds_total "}) {
            assertTrue("'" + expected + "' in:\n" + body, body.contains(expected));
        }
        promtool(body);
        System.out.println("/metrics: " + body.length() + " bytes, " + body.lines().filter(line -> !line.startsWith("#"))
                .count() + " samples; the camera's:");
        body.lines().filter(line -> line.contains("\"camera\"")).forEach(System.out::println);

        Path work = Files.createTempDirectory("prometheus");
        String prometheusPort = freePort();
        Files.writeString(work.resolve("prometheus.yml"), String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "scrape_configs:",
                "  - job_name: pistream",
                "    scheme: https",
                "    authorization:",
                "      credentials: " + viewerToken,
                "    tls_config:",
                "      ca_file: " + ca,
                "    static_configs:",
                "      - targets: ['localhost:" + port + "']",
                ""));
        Process prometheus = new ProcessBuilder("prometheus", "--config.file=" + work.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
        try {
            String api = "http://127.0.0.1:" + prometheusPort + "/api/v1/query?query=";
            awaitTrue(() -> query(api + "up").contains("\"value\":[") && query(api + "up").contains(",\"1\"]"),
                    60_000, "Prometheus scraped the device (up = 1)");
            awaitTrue(() -> query(api + encode("pistream_source_running{source=\"camera\"}")).contains(",\"1\"]"),
                    30_000, "Prometheus holds the camera's running metric");
            String up = query(api + "up");
            assertTrue(up, up.contains("\"job\":\"pistream\""));
            String rss = query(api + "process_resident_memory_bytes");
            assertTrue(rss, rss.contains("\"job\":\"pistream\""));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nPrometheus said:\n"
                    + Files.readString(work.resolve("prometheus.log")) + "\ntargets: "
                    + query("http://127.0.0.1:" + prometheusPort + "/api/v1/targets"), e);
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    /** Prometheus' own linter on what the device serves. */
    private static void promtool(String text) throws Exception {
        Path file = Files.createTempFile("metrics", ".txt");
        Files.writeString(file, text);
        Process process = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals("promtool check metrics: " + output, 0, process.exitValue());
        assertEquals("promtool has no complaint", "", output.trim());
    }

    private static String query(String url) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(5000);
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private RawHttps.Response exchange(String request) throws Exception {
        return RawHttps.exchange(tls, null, port, request);
    }

    private int status(String request) {
        try {
            return exchange(request).status();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String lastLine(String output) {
        String[] lines = output.trim().split("\n");
        return lines[lines.length - 1].trim();
    }
}
