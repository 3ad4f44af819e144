package io.pistream.itests;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * feature:install janus with etc/io.pistream.janus-lobby.cfg naming Debian's Janus (started here on loopback with
 * only its streaming plugin and HTTP API): the mountpoint appears in Janus's list and in pistream:janus, a broken
 * configuration is shown with its reason, and deleting the file destroys the mountpoint.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class JanusDistributionIT extends PistreamTestSupport {

    private static final String ADMIN_KEY = "it-admin-key";

    private final FeaturesService features = liveFeatures();

    @Inject
    @Filter(timeout = 60_000)
    private SessionFactory sessions;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void janusFeaturePublishesToJanusAndRemovesTheMountpointWithItsConfiguration() throws Exception {
        Path folder = Files.createTempDirectory("janus-it");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process janus = startJanus(folder, port);
        try {
            String url = "http://127.0.0.1:" + port + "/janus";
            awaitTrue(() -> list(url) != null, 20_000, "Janus answers on " + url);
            features.installFeature("janus", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            Path etc = Path.of(System.getProperty("karaf.etc"));
            Files.writeString(etc.resolve("io.pistream.janus-lobby.cfg"), "url = " + url + "\nid = 4242\n"
                    + "admin.key = " + ADMIN_KEY + "\naudio = microphone\ndescription = Lobby camera\n");
            Files.writeString(etc.resolve("io.pistream.janus-broken.cfg"), "url = ftp://janus.example/janus\n");
            awaitTrue(() -> String.valueOf(list(url)).contains("Lobby camera"), 60_000,
                    "Janus lists the mountpoint (" + list(url) + ")");
            awaitTrue(() -> shell("pistream:janus").contains("PUBLISHING"), 30_000,
                    "pistream:janus shows the output publishing: " + shell("pistream:janus"));
            String table = shell("pistream:janus");
            assertTrue(table, table.contains("4242") && table.contains("camera + microphone"));
            assertTrue(table, table.contains("REFUSED") && table.contains("url: must be an http://"));

            Files.delete(etc.resolve("io.pistream.janus-lobby.cfg"));
            awaitTrue(() -> { String list = list(url); return list != null && !list.contains("4242"); }, 30_000,
                    "the mountpoint is destroyed once its configuration is deleted (" + list(url) + ")");
            awaitTrue(() -> !shell("pistream:janus").contains("lobby"), 30_000, "pistream:janus forgets it");
        } finally {
            janus.destroy();
            janus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String shell(String command) {
        try {
            return execute(sessions, command);
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** The streaming plugin's list of mountpoints as Janus's JSON, or null when Janus does not answer. */
    private static String list(String url) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String session = post(http, url, "{\"janus\":\"create\"").replaceAll("(?s).*\"id\":\\s*(\\d+).*", "$1");
            String handle = post(http, url + "/" + session,
                    "{\"janus\":\"attach\",\"plugin\":\"janus.plugin.streaming\"")
                    .replaceAll("(?s).*\"id\":\\s*(\\d+).*", "$1");
            String list = post(http, url + "/" + session + "/" + handle,
                    "{\"janus\":\"message\",\"body\":{\"request\":\"list\"}");
            post(http, url + "/" + session, "{\"janus\":\"destroy\"");
            return list;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static String post(HttpClient http, String url, String opening) throws IOException, InterruptedException {
        String body = opening + ",\"transaction\":\"" + UUID.randomUUID() + "\"}";
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || answer.body().contains("\"janus\": \"error\"")
                || answer.body().contains("\"janus\":\"error\"")) {
            throw new IOException(answer.body());
        }
        return answer.body();
    }

    /** Debian's Janus with only the streaming plugin and the HTTP transport, on 127.0.0.1. */
    private static Process startJanus(Path folder, int port) throws IOException {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        Path lib = Path.of("/usr/lib/" + arch + "/janus");
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Path transports = Files.createDirectories(folder.resolve("transports"));
        Path none = Files.createDirectories(folder.resolve("none"));
        Files.createSymbolicLink(plugins.resolve("libjanus_streaming.so"), lib.resolve("plugins/libjanus_streaming.so"));
        Files.createSymbolicLink(transports.resolve("libjanus_http.so"), lib.resolve("transports/libjanus_http.so"));
        Files.writeString(folder.resolve("janus.jcfg"), "general: {\n configs_folder = \"" + folder + "\"\n"
                + " plugins_folder = \"" + plugins + "\"\n transports_folder = \"" + transports + "\"\n"
                + " events_folder = \"" + none + "\"\n loggers_folder = \"" + none + "\"\n}\n"
                + "media: {\n rtp_port_range = \"12000-16000\"\n}\n");
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), "general: {\n json = \"plain\"\n"
                + " base_path = \"/janus\"\n http = true\n port = " + port + "\n ip = \"127.0.0.1\"\n}\n"
                + "admin: {\n admin_http = false\n}\n");
        Files.writeString(folder.resolve("janus.plugin.streaming.jcfg"), "general: {\n admin_key = \"" + ADMIN_KEY
                + "\"\n rtp_port_range = \"12000-16000\"\n}\n");
        return new ProcessBuilder("janus", "-C", folder.resolve("janus.jcfg").toString(), "-F", folder.toString(), "-o")
                .redirectErrorStream(true).redirectOutput(folder.resolve("janus.log").toFile()).start();
    }
}
