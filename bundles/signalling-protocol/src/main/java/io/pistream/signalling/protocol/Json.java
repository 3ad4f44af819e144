package io.pistream.signalling.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** JSON values as the reference server holds them: its {@code Option<Value>} is absent or a value, never null. */
final class Json {

    private Json() {
    }

    static JsonNode orNull(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode() ? null : value;
    }
}
