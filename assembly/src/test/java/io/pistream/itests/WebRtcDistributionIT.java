package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * feature:install webrtc: the producer registers with the signalling server, headless Chromium (trusting the
 * device's CA) plays it through the web app, and what the browser sends back is recorded by the receiver.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WebRtcDistributionIT extends PistreamTestSupport {

    private final FeaturesService features = liveFeatures();

    @Inject
    private org.osgi.service.cm.ConfigurationAdmin configurations;

    @Configuration
    public Option[] config() {
        String port = freePort();
        String signalling = "wss://127.0.0.1:" + port + "/signalling";
        return distribution(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", port),
                // viewers on this machine: ICE on loopback only
                editConfigurationFilePut("etc/io.pistream.webrtc.cfg", "signalling.url", signalling),
                editConfigurationFilePut("etc/io.pistream.webrtc.cfg", "local.ips", "127.0.0.1"),
                editConfigurationFilePut("etc/io.pistream.webrtc.receiver.cfg", "signalling.url", signalling),
                editConfigurationFilePut("etc/io.pistream.webrtc.receiver.cfg", "local.ips", "127.0.0.1"),
                editConfigurationFilePut("etc/io.pistream.webrtc.receiver.cfg", "match", "pistream-role=talk-back"),
                editConfigurationFilePut("etc/io.pistream.webrtc.receiver.cfg", "mode", "record"),
                editConfigurationFilePut("etc/io.pistream.webrtc.receiver.cfg", "audio.sink", "fakesink"),
                new VMOption("-Dpistream.webapp.dir=" + System.getProperty("pistream.webapp.dir")),
                new VMOption("-Dpistream.example.bundle=" + System.getProperty("pistream.example.bundle")),
                new VMOption("-Dpistream.screenshot=" + System.getProperty("pistream.screenshot")));
    }

    @Test
    public void browserWatchesTheDeviceAndTalksBack() throws Exception {
        features.installFeature("webrtc", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path ca = etc.resolve("pki").resolve("ca.crt");
        awaitTrue(() -> Files.exists(ca), 60_000, "the CA certificate exists");
        String port = String.valueOf(httpsPort());
        HttpClient client = HttpClient.newBuilder()
                .sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5)).build();
        awaitTrue(() -> producers(client, "wss://localhost:" + port + "/").contains("\"name\":\"pistream\""), 90_000,
                "the device's producer is listed by the signalling server");

        Path webApp = Path.of(System.getProperty("pistream.webapp.dir"));
        Path recordings = Path.of(System.getProperty("karaf.data"), "recordings");
        File log = File.createTempFile("browser", ".log");
        Process browser = withCredentials(new ProcessBuilder("node", "e2e/browser.mjs", "https://localhost:" + port
                + "/", ca.toString(), System.getProperty("pistream.screenshot"), "6"), TALKER).directory(webApp.toFile())
                .redirectError(log).start();
        String result = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue("browser run finished; its log: " + log, browser.waitFor(120, TimeUnit.SECONDS));
        assertEquals("browser run failed: " + result + " (log " + log + ")", 0, browser.exitValue());
        System.out.println("browser: " + result);
        assertTrue(result, result.matches(".*\"width\":[1-9][0-9]*.*"));
        int first = number(result, "framesDecoded");
        int later = number(result, "framesDecodedLater");
        assertTrue("frames keep being decoded: " + result, first > 0 && later > first + 30);
        assertTrue("audio packets arrive: " + result, number(result, "audioPackets") > 50);

        awaitTrue(() -> !recordingFiles(recordings).isEmpty(), 30_000, "the receiver recorded the browser");
        Path recording = recordingFiles(recordings).get(0);
        awaitTrue(() -> ffprobe(recording).contains("\"codec_type\": \"audio\""), 30_000,
                "the recording is finished and has audio: " + ffprobe(recording));
        String probe = ffprobe(recording);
        assertTrue(probe, probe.contains("\"codec_type\": \"video\""));
    }

    @Test
    public void hotDeployedSourceIsWatchableInTheBrowser() throws Exception {
        features.installFeature("webrtc", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Path ca = etc.resolve("pki").resolve("ca.crt");
        awaitTrue(() -> Files.exists(ca), 60_000, "the CA certificate exists");
        Path deploy = Path.of(System.getProperty("karaf.base"), "deploy");
        Path dropped = deploy.resolve("example-source.jar");
        Files.copy(Path.of(System.getProperty("pistream.example.bundle")), dropped,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        // the producer sends whichever source its configuration names: point it at the new one
        Path producer = etc.resolve("io.pistream.webrtc.cfg");
        Files.writeString(producer, Files.readString(producer).replaceAll("(?m)^video\\s*=.*$", "video = clock")
                + (Files.readString(producer).contains("video") ? "" : "\nvideo = clock\n"));
        String port = String.valueOf(httpsPort());
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5))
                .build();
        awaitTrue(() -> producers(client, "wss://localhost:" + port + "/").contains("\"video\":\"clock\""), 90_000,
                "the producer offers the dropped source");

        File log = File.createTempFile("browser-clock", ".log");
        Process browser = withCredentials(new ProcessBuilder("node", "e2e/browser.mjs", "https://localhost:" + port
                + "/", ca.toString(), log.toString() + ".png"), VIEWER).directory(Path.of(System.getProperty(
                "pistream.webapp.dir")).toFile()).redirectError(log).start();
        String result = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue("browser run finished; its log: " + log, browser.waitFor(120, TimeUnit.SECONDS));
        assertEquals("browser run failed: " + result + " (log " + log + ")", 0, browser.exitValue());
        assertTrue("the dropped source plays at its own size: " + result, result.contains("\"width\":640"));
        assertTrue(result, number(result, "framesDecodedLater") > number(result, "framesDecoded"));
        Files.delete(dropped);
        Files.writeString(producer, Files.readString(producer).replace("video = clock", "video = camera"));
        awaitTrue(() -> producers(client, "wss://localhost:" + port + "/").contains("\"video\":\"camera\""),
                90_000, "the producer is back on the camera");
    }

    /**
     * Configuration Admin delivers a configuration again, unchanged, at every start (after the feature installed
     * it) and whenever anyone updates it with the same values: the signalling server keeps its clients and the
     * producer stays registered, with the same peer id, so viewers connecting meanwhile are served. A real change
     * restarts the producer once.
     */
    @Test
    public void theProducerStaysRegisteredWhenItsConfigurationComesAgain() throws Exception {
        features.installFeature("webrtc", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path ca = Path.of(System.getProperty("karaf.etc")).resolve("pki").resolve("ca.crt");
        awaitTrue(() -> Files.exists(ca), 60_000, "the CA certificate exists");
        String url = "wss://localhost:" + httpsPort() + "/";
        HttpClient client = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5))
                .build();
        awaitTrue(() -> producerId(producers(client, url)) != null, 90_000, "the device's producer is listed");
        String registered = producerId(producers(client, url));
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        long restartsBefore = Files.readString(log).split("WebRTC producer configuration changed", -1).length - 1;

        org.osgi.service.cm.Configuration signalling = configurations.getConfiguration("io.pistream.signalling",
                null);
        signalling.update(signalling.getProperties());
        org.osgi.service.cm.Configuration producer = configurations.getConfiguration("io.pistream.webrtc", null);
        producer.update(producer.getProperties());
        Thread.sleep(4_000);
        assertEquals("the same producer, still registered", registered, producerId(producers(client, url)));
        assertEquals(restartsBefore,
                Files.readString(log).split("WebRTC producer configuration changed", -1).length - 1);

        java.util.Dictionary<String, Object> changed = producer.getProperties();
        changed.put("max.sessions", "9");
        producer.update(changed);
        awaitTrue(() -> {
            String now = producerId(producers(client, url));
            return now != null && !now.equals(registered);
        }, 60_000, "a changed configuration restarts the producer, which registers again");
        assertEquals(restartsBefore + 1,
                Files.readString(log).split("WebRTC producer configuration changed", -1).length - 1);
    }

    /** The peer id of the producer named pistream in a "list" answer, or null. */
    private static String producerId(String list) {
        java.util.regex.Matcher id = java.util.regex.Pattern.compile(
                "\\{\"id\":\"([^\"]+)\",\"meta\":\\{[^}]*\"name\":\"pistream\"").matcher(list);
        return id.find() ? id.group(1) : null;
    }

    /** The signalling server's answer to "list", or "" when it cannot be reached yet. */
    private static String producers(HttpClient client, String url) {
        BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        try {
            WebSocket socket = client.newWebSocketBuilder().header("Authorization", basic(VIEWER))
                    .buildAsync(URI.create(url), new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    messages.add(data.toString());
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            messages.poll(10, TimeUnit.SECONDS); // welcome
            socket.sendText("{\"type\":\"list\"}", true);
            String list = messages.poll(10, TimeUnit.SECONDS);
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            return list == null ? "" : list;
        } catch (Exception e) {
            return "";
        }
    }
}
