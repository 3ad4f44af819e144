package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * WHEP and WHIP on the distribution, with no configuration of their own beyond feature:install webrtc: the HTTP
 * answers a client sees for good and bad requests, the session cap shared with signalling, CORS for an allowed
 * origin, and headless Chromium with the npm whip-whep clients playing the camera and sending its fake camera and
 * microphone, which the receiver records.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class WhepDistributionIT extends PistreamTestSupport {

    /**
     * The container's HTTPS port, chosen when the configuration is made (in the test driver) and read back from
     * etc/ inside the container, where this class is loaded anew.
     */
    private static final String CHOSEN_PORT = freePort();

    private final FeaturesService features = liveFeatures();

    @Inject
    private SessionFactory shell;

    private String port;
    private HttpClient client;
    private String token;
    private Path ca;

    @Configuration
    public Option[] config() {
        String signalling = "wss://127.0.0.1:" + CHOSEN_PORT + "/signalling";
        return distribution(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure",
                        CHOSEN_PORT),
                // the page is on https://localhost:port and plays from https://127.0.0.1:port: another origin
                editConfigurationFilePut("etc/io.pistream.webauth.cfg", "allowedOrigins",
                        "https://localhost:" + CHOSEN_PORT),
                // viewers on this machine: ICE on loopback only
                editConfigurationFilePut("etc/io.pistream.webrtc.cfg", "signalling.url", signalling),
                editConfigurationFilePut("etc/io.pistream.webrtc.cfg", "local.ips", "127.0.0.1"),
                editConfigurationFilePut("etc/io.pistream.webrtc.cfg", "max.sessions", "2"),
                editConfigurationFilePut("etc/io.pistream.webrtc.receiver.cfg", "signalling.url", signalling),
                editConfigurationFilePut("etc/io.pistream.webrtc.receiver.cfg", "local.ips", "127.0.0.1"),
                editConfigurationFilePut("etc/io.pistream.webrtc.receiver.cfg", "mode", "record"),
                editConfigurationFilePut("etc/io.pistream.webrtc.receiver.cfg", "audio.sink", "fakesink"),
                new VMOption("-Dpistream.webapp.dir=" + System.getProperty("pistream.webapp.dir")));
    }

    @Before
    public void installAndWait() throws Exception {
        features.installFeature("webrtc", EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
        Path etc = Path.of(System.getProperty("karaf.etc"));
        ca = etc.resolve("pki").resolve("ca.crt");
        awaitTrue(() -> Files.exists(ca), 60_000, "the CA certificate exists");
        port = String.valueOf(httpsPort());
        client = HttpClient.newBuilder().sslContext(trusting(ca)).connectTimeout(Duration.ofSeconds(5)).build();
        token = lastLine(execute(shell, "pistream:token create --role viewer --role talk --label whep --days 1"));
        assertTrue(token, token.split("\\.").length == 3);
        // Pax Web restarts the context for each registration: wait until both doors answer as themselves, and
        // until their producer and receiver are there (a valid offer to an unknown source: 404 from the producer)
        awaitTrue(() -> status(send("POST", "/whep/nothing-here", token, "application/sdp", offer("recvonly"))) == 404
                && status(send("POST", "/whip/studio", token, "text/plain", "x")) == 415
                && status(send("GET", "/", null, null, null)) == 200, 120_000, "the WHEP and WHIP doors answer");
    }

    @Test
    public void clientsGetTheStatusAndReasonThatFit() throws Exception {
        HttpResponse<String> anonymous = send("POST", "/whep/camera", null, "application/sdp", offer("recvonly"));
        assertEquals(anonymous.body(), 401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertError(403, send("POST", "/whip/studio", basic(VIEWER), "application/sdp", offer("sendonly")),
                "role talk");
        assertError(415, send("POST", "/whep/camera", token, "application/json", "{}"), "application/sdp");
        assertError(400, send("POST", "/whep/camera", token, "application/sdp", "hello"), "SDP");
        assertError(406, send("POST", "/whep/camera", token, "application/sdp",
                offer("recvonly").replace("VP8/90000", "AV1/90000").replace("opus/48000/2", "PCMU/8000")), "VP8");
        assertError(404, send("POST", "/whep/garden", token, "application/sdp", offer("recvonly")), "garden");
        assertError(403, send("POST", "/whep/camera", token, "application/sdp", offer("recvonly"), "Origin",
                "https://evil.example"), "evil.example");

        // max.sessions = 2 holds for HTTP viewers as for signalling ones; refusals leave the others running
        HttpResponse<String> first = send("POST", "/whep/camera", token, "application/sdp", offer("recvonly"));
        assertEquals(first.body(), 201, first.statusCode());
        assertTrue(first.body(), first.body().startsWith("v=0") && first.body().contains("a=candidate:"));
        HttpResponse<String> second = send("POST", "/whep/camera", basic(VIEWER), "application/sdp",
                offer("recvonly"));
        assertEquals(second.body(), 201, second.statusCode());
        assertError(503, send("POST", "/whep/camera", token, "application/sdp", offer("recvonly")), "max.sessions");
        String sessions = execute(shell, "pistream:sessions");
        assertTrue(sessions, sessions.contains("whep:viewer@127.0.0.1")
                && sessions.split("whep:", -1).length - 1 >= 2);
        String location = first.headers().firstValue("Location").orElseThrow();
        assertError(403, send("DELETE", location, basic(VIEWER), null, null), "another user");
        assertEquals(200, status(send("DELETE", location, token, null, null)));
        assertError(404, send("DELETE", location, token, null, null), "no session");
        assertEquals(200, status(send("DELETE", second.headers().firstValue("Location").orElseThrow(),
                basic(VIEWER), null, null)));

        // CORS: the allowed origin's preflight is answered without credentials, a foreign one's refused
        HttpResponse<String> preflight = send("OPTIONS", "/whep/camera", null, null, null, "Origin",
                "https://localhost:" + port, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization,content-type");
        assertEquals(preflight.body(), 204, preflight.statusCode());
        assertEquals("https://localhost:" + port, preflight.headers().firstValue("Access-Control-Allow-Origin")
                .orElse(""));
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
        assertError(403, send("OPTIONS", "/whep/camera", null, null, null, "Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"), "evil.example");
        HttpResponse<String> crossOrigin = send("POST", "/whep/camera", token, "application/json", "{}", "Origin",
                "https://localhost:" + port);
        assertEquals(415, crossOrigin.statusCode());
        assertTrue(crossOrigin.headers().firstValue("Access-Control-Expose-Headers").orElse("").contains("Location"));
    }

    @Test
    public void chromiumPlaysOverWhepAndSendsOverWhip() throws Exception {
        Path recordings = Path.of(System.getProperty("karaf.data"), "recordings");
        File log = File.createTempFile("whep-browser", ".log");
        ProcessBuilder process = new ProcessBuilder("node", "e2e/whep.mjs", "https://localhost:" + port + "/",
                "https://127.0.0.1:" + port + "/whep/camera", "https://localhost:" + port + "/whip/itest",
                ca.toString(), "6").directory(new File(System.getProperty("pistream.webapp.dir"))).redirectError(log);
        process.environment().put("PISTREAM_TOKEN", token);
        withCredentials(process, TALKER); // the web app's own WHEP switch, logged in with the session cookie
        Process browser = process.start();
        String result = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue("browser run finished; its log: " + log, browser.waitFor(120, TimeUnit.SECONDS));
        assertEquals("browser run failed: " + result + " (log " + log + ")", 0, browser.exitValue());
        System.out.println("WHEP/WHIP browser: " + result);
        assertTrue(result, result.matches(".*\"width\":[1-9][0-9]*.*"));
        int first = number(result, "framesDecoded");
        assertTrue("frames keep being decoded: " + result, first > 0 && number(result, "framesDecodedLater") > first + 30);
        assertTrue("audio packets arrive: " + result, number(result, "audioPackets") > 50);
        assertTrue(result, result.contains("\"whepDeleted\":\"https://127.0.0.1:" + port + "/whep/camera/"));
        assertTrue(result, result.contains("\"whipDeleted\":\"https://localhost:" + port + "/whip/itest/"));

        awaitTrue(() -> !recordingFiles(recordings).isEmpty(), 30_000, "the receiver recorded the WHIP client");
        Path recording = recordingFiles(recordings).get(0);
        awaitTrue(() -> ffprobe(recording).contains("\"codec_type\": \"audio\""), 30_000,
                "the recording is finished and has audio: " + ffprobe(recording));
        assertTrue(ffprobe(recording), ffprobe(recording).contains("\"codec_type\": \"video\""));
        String sessions = execute(shell, "pistream:sessions");
        assertTrue(sessions, sessions.contains("whip:") && sessions.contains("HTTP DELETE"));
        assertTrue("the web app plays over WHEP: " + result, number(result, "appFramesDecoded") > 30);
        assertTrue(sessions, sessions.contains("whep:talker@"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /** A browser-like offer that webrtcbin accepts: VP8 and Opus, bundled, DTLS, no candidates. */
    private static String offer(String direction) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 5097271012396587245 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0 1\r\na=msid-semantic: WMS\r\n");
        String[][] media = {{"video", "96", "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\n"},
            {"audio", "111", "a=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n"}};
        for (int mid = 0; mid < media.length; mid++) {
            sdp.append("m=").append(media[mid][0]).append(" 9 UDP/TLS/RTP/SAVPF ").append(media[mid][1]).append("\r\n")
                    .append("c=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\na=ice-ufrag:wH3p\r\n")
                    .append("a=ice-pwd:Xq9v4c2LbN7tR1sM5kP8dF0z\r\na=ice-options:trickle\r\n")
                    .append("a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:"
                            + "C2:43:F0:A1:58:D0:A1:2C:19:08\r\n")
                    .append("a=setup:actpass\r\na=mid:").append(mid).append("\r\na=").append(direction)
                    .append("\r\na=rtcp-mux\r\n").append(media[mid][2]);
        }
        return sdp.toString();
    }

    /** A request to the container; {@code credentials} is a bearer token or a whole Authorization value. */
    private HttpResponse<String> send(String method, String path, String credentials, String type, String body,
            String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port)
                    .resolve(path)).timeout(Duration.ofSeconds(30)).method(method, body == null
                            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            if (credentials != null) {
                request.header("Authorization", credentials.startsWith("Basic ") ? credentials
                        : "Bearer " + credentials);
            }
            if (type != null) {
                request.header("Content-Type", type);
            }
            for (int i = 0; i + 1 < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }

    private static int status(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    private static void assertError(int status, HttpResponse<String> response, String reasonPart) {
        assertEquals(response.body(), status, response.statusCode());
        assertTrue(response.body(), response.body().startsWith("{\"error\":") && response.body().contains(reasonPart));
    }

    private static String lastLine(String text) {
        String[] lines = text.trim().split("\r?\n");
        return lines[lines.length - 1].trim();
    }

}
