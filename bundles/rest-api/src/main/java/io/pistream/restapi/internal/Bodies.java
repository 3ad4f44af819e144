package io.pistream.restapi.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Request bodies, read here rather than bound by the runtime so that every malformed one gets a 400 naming the field
 * and the reason. Bodies are small objects; anything larger than {@link #MAX_BYTES} is refused unread.
 */
final class Bodies {

    static final int MAX_BYTES = 16 * 1024;
    /** Source and recording ids as the platform makes them; anything else never reaches a service. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Bodies() {
    }

    /** The JSON object of a body, or 400 {@code field: body}. */
    static JsonNode object(InputStream body) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(MAX_BYTES + 1);
        } catch (IOException e) {
            throw ApiError.badField("body", "could not be read");
        }
        if (bytes.length > MAX_BYTES) {
            throw ApiError.badField("body", "larger than " + MAX_BYTES + " bytes");
        }
        if (bytes.length == 0) {
            throw ApiError.badField("body", "missing: send a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiError.badField("body", "not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw ApiError.badField("body", "could not be read");
        }
        if (node == null || !node.isObject()) {
            throw ApiError.badField("body", "must be a JSON object");
        }
        return node;
    }

    /** A string member; {@code null} when absent and optional. */
    static String text(JsonNode object, String field, boolean required, int maxLength) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiError.badField(field, "missing");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badField(field, "must be a string");
        }
        String text = value.asText();
        if (text.isBlank()) {
            throw ApiError.badField(field, "must not be empty");
        }
        if (text.length() > maxLength) {
            throw ApiError.badField(field, "longer than " + maxLength + " characters");
        }
        return text;
    }

    /** An id member (letters, digits, '-' and '_'). */
    static String id(JsonNode object, String field, boolean required) {
        String id = text(object, field, required, 64);
        if (id != null && !ID.matcher(id).matches()) {
            throw ApiError.badField(field, "must be 1 to 64 letters, digits, '-' or '_'");
        }
        return id;
    }

    /** Only these members may be present: a misspelt one is an error, not silently ignored. */
    static void only(JsonNode object, String... fields) {
        object.fieldNames().forEachRemaining(name -> {
            for (String field : fields) {
                if (field.equals(name)) {
                    return;
                }
            }
            throw ApiError.badField(name, "unknown field; expected " + String.join(", ", fields));
        });
    }

    /** An integer query parameter within bounds, or its default when absent. */
    static int integer(String value, String field, int min, int max, int absent) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        int number;
        try {
            number = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badField(field, "must be an integer");
        }
        if (number < min || number > max) {
            throw ApiError.badField(field, "must be between " + min + " and " + max);
        }
        return number;
    }
}
