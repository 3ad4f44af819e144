package io.pistream.restapi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BodiesTest {

    private static JsonNode parse(String body) {
        return Bodies.object(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** The field a refusal names, for a recording request. */
    private static String refusedField(String body) {
        ApiError error = assertThrows(ApiError.class, () -> {
            JsonNode json = parse(body);
            Bodies.only(json, "video", "audio");
            Bodies.id(json, "video", true);
            Bodies.id(json, "audio", false);
        });
        assertEquals(400, error.status());
        return error.body().field();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''|body", "not json|body", "[1]|body", "\"text\"|body", "{|body", "{}|video", "{\"video\":null}|video",
        "{\"video\":3}|video", "{\"video\":\"\"}|video", "{\"video\":\"a/b\"}|video", "{\"video\":\"../x\"}|video",
        "{\"video\":\"cam\",\"audio\":\"mic rophone\"}|audio", "{\"video\":\"cam\",\"vidoe\":\"x\"}|vidoe"})
    void eachMalformedBodyNamesItsField(String body, String field) {
        assertEquals(field, refusedField(body));
    }

    @Test
    void aGoodBodyGivesItsValues() {
        JsonNode json = parse("{\"video\":\"camera\"}");
        assertEquals("camera", Bodies.id(json, "video", true));
        assertNull(Bodies.id(json, "audio", false));
    }

    @Test
    void aLargeBodyIsRefusedUnread() {
        String large = "{\"text\":\"" + "a".repeat(Bodies.MAX_BYTES) + "\"}";
        ApiError error = assertThrows(ApiError.class, () -> parse(large));
        assertEquals("body", error.body().field());
    }

    @Test
    void textsHaveAMaximumLength() {
        JsonNode json = parse("{\"text\":\"" + "a".repeat(SpeechArea.MAX_TEXT + 1) + "\"}");
        ApiError error = assertThrows(ApiError.class, () -> Bodies.text(json, "text", true, SpeechArea.MAX_TEXT));
        assertEquals("text", error.body().field());
    }
}
