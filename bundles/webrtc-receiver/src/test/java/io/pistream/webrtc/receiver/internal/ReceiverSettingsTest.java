package io.pistream.webrtc.receiver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.pistream.gstreamer.testing.Configs;

class ReceiverSettingsTest {

    private static ReceiverSettings settings(Map<String, ?> values) {
        return ReceiverSettings.from(Configs.of(ReceiverConfig.class, values));
    }

    @Test
    void defaultsAreValid() {
        ReceiverSettings settings = settings(Map.of());
        assertNull(settings.problem());
        assertEquals(ReceiverSession.VideoMode.DISCARD, settings.output().video());
        assertEquals("autoaudiosink", settings.output().audioSink());
        assertEquals("mkv", settings.output().recordFormat());
        assertEquals(600, settings.output().segmentSeconds());
        assertNull(settings.matchField(), "nothing is received on its own");
    }

    @Test
    void audioSinkIsWhitelisted() {
        for (String sink : List.of("autoaudiosink", "alsasink", "pulsesink", "fakesink")) {
            assertNull(settings(Map.of("audio.sink", sink)).problem(), sink);
        }
        for (String sink : List.of("filesink", "alsasink device=hw:0", "alsasink ! fakesink", "")) {
            String problem = settings(Map.of("audio.sink", sink)).problem();
            assertNotNull(problem, sink);
            assertTrue(problem.contains("audio.sink:"), problem);
        }
        assertNull(settings(Map.of("audio.sink", "alsasink", "audio.device", "plughw:1,0")).problem());
        assertTrue(settings(Map.of("audio.sink", "alsasink", "audio.device", "hw:0 ! x")).problem()
                .contains("audio.device"));
        assertTrue(settings(Map.of("audio.sink", "fakesink", "audio.device", "hw:0")).problem()
                .contains("audio.device"));
    }

    @Test
    void everyBadKeyIsNamed() {
        String problem = settings(Map.of("mode", "show", "record.format", "avi", "record.segment.seconds", "-1",
                "match", "no equals sign", "max.sessions", "99", "signalling.url", "wss://")).problem();
        assertNotNull(problem);
        for (String key : List.of("mode", "record.format", "record.segment.seconds", "match", "max.sessions",
                "signalling.url")) {
            assertTrue(problem.contains(key + ":"), key + " in " + problem);
        }
    }

    @Test
    void aTokenForAnotherSignallingServerIsCheckedAndNeverShown() {
        assertEquals("", settings(Map.of()).signallingToken());
        ReceiverSettings settings = settings(Map.of("signalling.url", "wss://signalling.example.org",
                "signalling.token", "abc.DEF_-~+/="));
        assertNull(settings.problem());
        assertEquals("abc.DEF_-~+/=", settings.signallingToken());
        assertFalse(settings.toString().contains("abc.DEF"), settings.toString());
        String problem = settings(Map.of("signalling.token", "secret\nX: y")).problem();
        assertTrue(problem.contains("signalling.token:") && !problem.contains("secret"), problem);
    }

    @Test
    void matchesMetaFieldsWithGlobs() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ReceiverSettings byName = settings(Map.of("match", "name=WebClient-*"));
        assertNull(byName.problem());
        assertTrue(byName.matches(json.readTree("{\"name\":\"WebClient-1700000000\"}")));
        assertFalse(byName.matches(json.readTree("{\"name\":\"Other\"}")));
        assertFalse(byName.matches(json.readTree("null")));
        assertFalse(byName.matches(json.readTree("{\"name\":{\"nested\":1}}")));
        ReceiverSettings byTarget = settings(Map.of("match", "target=kitchen"));
        assertTrue(byTarget.matches(json.readTree("{\"target\":\"kitchen\"}")));
        assertFalse(byTarget.matches(json.readTree("{\"target\":\"kitchen2\"}")));
        assertFalse(settings(Map.of("match", "target=a.c")).matches(json.readTree("{\"target\":\"abc\"}")),
                "only * and ? are wildcards");
    }

    /** What decides whether a configuration delivered again restarts the component: equal values, equal settings. */
    @Test
    void theSameConfigurationGivesEqualSettingsAndAChangeDoesNot() {
        assertEquals(settings(Map.of("match", "pistream-role=talk-.*", "signalling.token", "t0ken", "mode", "record")), settings(Map.of("match", "pistream-role=talk-.*", "signalling.token", "t0ken", "mode", "record")));
        assertEquals(settings(Map.of("match", "pistream-role=talk-.*", "signalling.token", "t0ken", "mode", "record")).hashCode(), settings(Map.of("match", "pistream-role=talk-.*", "signalling.token", "t0ken", "mode", "record")).hashCode());
        assertNotEquals(settings(Map.of("match", "pistream-role=talk-.*", "signalling.token", "t0ken", "mode", "record")), settings(Map.of("max.sessions", "3")));
        assertNotEquals(settings(Map.of("signalling.token", "a")), settings(Map.of("signalling.token", "b")),
                "the token counts, though it is never shown");
    }
}

