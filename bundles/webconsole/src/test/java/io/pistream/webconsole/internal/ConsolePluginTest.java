package io.pistream.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletResponse;

import io.pistream.api.MediaHub;
import io.pistream.api.MediaKind;
import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;
import io.pistream.recorder.Recorder;
import io.pistream.recorder.Recording;
import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.WebRtcStatus;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page echoes nothing unescaped, and acts on a post only with its session's form token. */
class ConsolePluginTest {

    private static final String BREAK_OUT_OF_MARKUP = "\"><script>alert(1)</script>";
    private static final String BREAK_OUT_OF_SCRIPT = "';alert(1)//";
    private static final String HOSTILE = BREAK_OUT_OF_MARKUP + BREAK_OUT_OF_SCRIPT;
    private static final String HOSTILE_URI = "/system/console/pistream/" + HOSTILE;
    private static final String PAGE = "/system/console/pistream";

    private final List<String> restarted = new ArrayList<>();
    private final List<String> endedSessions = new ArrayList<>();
    private final List<String> recordingsStarted = new ArrayList<>();
    private ConsolePlugin plugin;
    private final FakeHttp.Session browser = new FakeHttp.Session();

    @BeforeEach
    void pageWithEverySection() throws Exception {
        plugin = new ConsolePlugin(hub());
        WebRtcSection webRtc = new WebRtcSection();
        set(webRtc, "peers", List.of(peer()));
        set(plugin, "sections", List.of(webRtc, new RtspSection(rtspServer()), new RecorderSection(recorder()),
                new JanusSection(() -> List.of(new io.pistream.janus.JanusMountpoint(HOSTILE, HOSTILE, 7, HOSTILE,
                        HOSTILE, HOSTILE, false, 0, 0, HOSTILE, HOSTILE, Instant.EPOCH, null)))));
    }

    @Test
    void theRequestAddressAndParametersAreNeverEchoedRaw() throws Exception {
        String page = get(HOSTILE_URI, Map.of("message", HOSTILE)).text();
        assertNoRawPayload(page);
        // the hostile address is there, but only escaped
        assertTrue(page.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;;alert(1)//"), page);

        String tables = get(HOSTILE_URI, Map.of("tables", "1", "message", HOSTILE)).text();
        assertNoRawPayload(tables);
        assertTrue(tables.contains("<h2>Janus</h2>"), "the Janus outputs are shown too: " + tables);
    }

    @Test
    void theInlineScriptHoldsNothingFromTheRequest() throws Exception {
        String page = get(HOSTILE_URI, Map.of()).text();
        Matcher scripts = Pattern.compile("<script>.*?</script>", Pattern.DOTALL).matcher(page);
        assertTrue(scripts.find(), page);
        assertEquals(ConsolePlugin.REFRESH_SCRIPT, scripts.group());
        assertFalse(scripts.find(), "one script only: " + page);
        assertTrue(page.contains("data-refresh='" + Html.escape(HOSTILE_URI) + "?tables=1'"), page);
    }

    @Test
    void namesStatesAndErrorsFromSourcesSessionsAndPlayersAreEscaped() throws Exception {
        String page = get(PAGE, Map.of()).text();
        assertNoRawPayload(page);
        // each hostile field is on the page, escaped: the hub's, the WebRTC peer's, the RTSP player's, the recorder's
        int escapedCopies = page.split(Pattern.quote(Html.escape(HOSTILE)), -1).length - 1;
        assertTrue(escapedCopies >= 20, escapedCopies + " escaped copies in " + page);
        // the graph link carries the id as a query value
        assertTrue(page.contains("href='/system/console/pistream?graph=cam%22%3E%3Cscript%3E"), page);
        // a viewer's link: loss now, its estimate, and its tier with the reason (escaped like the rest)
        assertTrue(page.contains("<td>7.3</td><td>13</td><td>930</td><td>1: 640x360 @ 600 kbit/s ("
                + Html.escape(HOSTILE) + ")</td>"), page);
    }

    @Test
    void everyFormCarriesTheSessionsToken() throws Exception {
        String page = get(PAGE, Map.of()).text();
        String token = (String) browser.attributes.get(FormToken.SESSION_ATTRIBUTE);
        assertNotNull(token);
        assertTrue(token.length() >= 40, token);
        int forms = page.split("<form ", -1).length - 1;
        int tokens = page.split(Pattern.quote("name='" + FormToken.PARAMETER + "' value='" + token + "'"), -1).length
                - 1;
        assertTrue(forms >= 4, page); // restart, record, end session, stop recording
        assertEquals(forms, tokens, page);

        get(PAGE, Map.of());
        assertEquals(token, browser.attributes.get(FormToken.SESSION_ATTRIBUTE), "one token per session");
        FakeHttp.Session otherBrowser = new FakeHttp.Session();
        plugin.doGet(FakeHttp.request("GET", PAGE, Map.of(), otherBrowser),
                new FakeHttp.Response().asHttpServletResponse());
        assertFalse(token.equals(otherBrowser.attributes.get(FormToken.SESSION_ATTRIBUTE)));
    }

    @Test
    void aPostWithoutTheTokenIsRefusedAndChangesNothing() throws Exception {
        get(PAGE, Map.of()); // the browser has a session and a token, but another site does not know it
        for (String action : List.of("restart", "end-session", "record-start")) {
            FakeHttp.Response response = post(browser, Map.of("action", action, "source", "cam", "session", "s-1"));
            assertEquals(HttpServletResponse.SC_FORBIDDEN, response.status);
            assertEquals(ConsolePlugin.REFUSED_WITHOUT_TOKEN, response.text().strip());
        }
        assertNothingDone();
    }

    @Test
    void aPostWithAWrongTokenIsRefusedAndChangesNothing() throws Exception {
        get(PAGE, Map.of());
        String token = (String) browser.attributes.get(FormToken.SESSION_ATTRIBUTE);
        for (String wrong : List.of("", "x", token.substring(1), token + "x", token.toUpperCase())) {
            FakeHttp.Response response = post(browser,
                    Map.of("action", "restart", "source", "cam", FormToken.PARAMETER, wrong));
            assertEquals(HttpServletResponse.SC_FORBIDDEN, response.status, wrong);
        }
        // the right token of another session is a wrong one here
        FakeHttp.Session otherBrowser = new FakeHttp.Session();
        FakeHttp.Response response = post(otherBrowser,
                Map.of("action", "restart", "source", "cam", FormToken.PARAMETER, token));
        assertEquals(HttpServletResponse.SC_FORBIDDEN, response.status);
        assertNothingDone();
    }

    @Test
    void aPostWithTheTokenActs() throws Exception {
        String page = get(PAGE, Map.of()).text();
        Matcher field = Pattern.compile("name='" + FormToken.PARAMETER + "' value='([^']+)'").matcher(page);
        assertTrue(field.find(), page);
        String token = field.group(1);

        FakeHttp.Response restart = post(browser, Map.of("action", "restart", "source", "cam",
                FormToken.PARAMETER, token));
        assertEquals(HttpServletResponse.SC_FOUND, restart.status);
        assertEquals(PAGE + "?message=Restarted+cam", restart.redirect);
        assertEquals(List.of("cam"), restarted);

        post(browser, Map.of("action", "end-session", "session", "s-1", FormToken.PARAMETER, token));
        assertEquals(List.of("s-1"), endedSessions);
        post(browser, Map.of("action", "record-start", "source", "cam", FormToken.PARAMETER, token));
        assertEquals(List.of("cam"), recordingsStarted);
    }

    private FakeHttp.Response get(String uri, Map<String, String> parameters) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        plugin.doGet(FakeHttp.request("GET", uri, parameters, browser), response.asHttpServletResponse());
        assertEquals(HttpServletResponse.SC_OK, response.status);
        return response;
    }

    private FakeHttp.Response post(FakeHttp.Session session, Map<String, String> parameters) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        plugin.doPost(FakeHttp.request("POST", PAGE, new HashMap<>(parameters), session),
                response.asHttpServletResponse());
        return response;
    }

    private void assertNothingDone() {
        assertEquals(List.of(), restarted);
        assertEquals(List.of(), endedSessions);
        assertEquals(List.of(), recordingsStarted);
    }

    private static void assertNoRawPayload(String html) {
        assertFalse(html.contains("<script>alert(1)</script>"), html);
        assertFalse(html.contains("\"><"), html);
        assertFalse(html.contains(BREAK_OUT_OF_SCRIPT), html);
        assertFalse(html.contains("alert(1)</"), html);
    }

    private MediaHub hub() {
        // a running source whose every text field is hostile, with id "cam" so that its buttons work
        SourceStatus running = new SourceStatus("cam", MediaKind.VIDEO, HOSTILE, HOSTILE, true, HOSTILE);
        StreamStatus stream = new StreamStatus("cam" + HOSTILE, HOSTILE, 2, HOSTILE,
                List.of(new StreamStatus.EncoderStatus(HOSTILE, HOSTILE, 1, 10, 64000, HOSTILE)));
        return (MediaHub) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MediaHub.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "sources" -> List.of(running);
                    case "streams" -> List.of(stream);
                    case "restart" -> restarted.add((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private WebRtcStatus peer() {
        SessionStatus session = new SessionStatus("s-1", HOSTILE, HOSTILE, HOSTILE, HOSTILE, 1000, 0, 12.5,
                0, -1, null, 7.25, 930, new io.pistream.api.Tier(1, 640, 360, 600), HOSTILE);
        SessionStatus ended = new SessionStatus(HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE, 0, 0, -1, 0, -1,
                HOSTILE);
        return (WebRtcStatus) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {WebRtcStatus.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "role" -> HOSTILE;
                    case "name" -> HOSTILE;
                    case "sessions" -> List.of(session, ended);
                    case "endSession" -> endedSessions.add((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static RtspServerStatus rtspServer() {
        RtspMount mount = new RtspMount(HOSTILE, HOSTILE, HOSTILE, "hub", HOSTILE, HOSTILE, true, HOSTILE, HOSTILE,
                1, 1);
        RtspClient client = new RtspClient(HOSTILE, HOSTILE, HOSTILE, Instant.EPOCH);
        return (RtspServerStatus) Proxy.newProxyInstance(ConsolePluginTest.class.getClassLoader(),
                new Class<?>[] {RtspServerStatus.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "running" -> false;
                    case "problem" -> HOSTILE;
                    case "port" -> 8554;
                    case "mounts" -> List.of(mount);
                    case "clients" -> List.of(client);
                    case "tlsPort" -> 8322;
                    case "tlsProblem" -> HOSTILE;
                    default -> {
                        if (method.isDefault()) {
                            yield java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                        }
                        throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private Recorder recorder() {
        Recording recording = new Recording(HOSTILE, HOSTILE, HOSTILE, Path.of("/recordings/" + HOSTILE + ".mkv"),
                Instant.EPOCH, "RECORDING", null);
        return new Recorder() {
            @Override
            public Recording start(String videoSourceId, String audioSourceId) {
                recordingsStarted.add(videoSourceId);
                return recording;
            }

            @Override
            public Recording stop(String recordingId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<Recording> recordings() {
                return List.of(recording);
            }
        };
    }

    /** Fills a field that Declarative Services would inject. */
    private static void set(Object target, String name, Object value) throws ReflectiveOperationException {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        field.set(target, value);
    }
}
