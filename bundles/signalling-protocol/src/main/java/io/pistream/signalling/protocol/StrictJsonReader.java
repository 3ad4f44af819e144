package io.pistream.signalling.protocol;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads one message into a tree the way serde_json sees it, before Jackson maps the tree to a record. Jackson
 * alone cannot tell what serde tells apart: {@code STRICT_DUPLICATE_DETECTION} would refuse a key given twice
 * anywhere, while serde refuses it only for a field the message declares (inside {@code meta}, and for unknown
 * fields, the last value counts); serde's flattened {@code peer} payload is the first {@code sdp} or {@code ice}
 * key in document order; and a number must fit a double.
 */
final class StrictJsonReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The members of the message object in document order, duplicates kept, and the duplicates of nested objects. */
    record Document(List<Map.Entry<String, JsonNode>> members, Map<ObjectNode, Set<String>> nestedDuplicates) {

        /** A serde internal tag: present once, a string. */
        String tag(String name) throws MessageParseException {
            requireUnique(List.of(name));
            JsonNode node = first(name);
            if (node == null) {
                throw new MessageParseException("missing field `" + name + "`");
            }
            if (!node.isTextual()) {
                throw new MessageParseException("invalid type for `" + name + "`, expected a string");
            }
            return node.textValue();
        }

        void requireUnique(Collection<String> declared) throws MessageParseException {
            Set<String> seen = new HashSet<>();
            for (Map.Entry<String, JsonNode> member : members) {
                if (declared.contains(member.getKey()) && !seen.add(member.getKey())) {
                    throw new MessageParseException("duplicate field `" + member.getKey() + "`");
                }
            }
        }

        void requireUnique(JsonNode nested, Collection<String> declared) throws MessageParseException {
            Set<String> duplicated = nested instanceof ObjectNode object ? nestedDuplicates.get(object) : null;
            if (duplicated != null) {
                for (String name : declared) {
                    if (duplicated.contains(name)) {
                        throw new MessageParseException("duplicate field `" + name + "`");
                    }
                }
            }
        }

        JsonNode first(String name) {
            for (Map.Entry<String, JsonNode> member : members) {
                if (member.getKey().equals(name)) {
                    return member.getValue();
                }
            }
            return null;
        }

        /** The first key of {@code names} in document order, or null. */
        String firstOf(Collection<String> names) {
            for (Map.Entry<String, JsonNode> member : members) {
                if (names.contains(member.getKey())) {
                    return member.getKey();
                }
            }
            return null;
        }

        /** The message as one object: the first value of each key, without the keys {@code dropped}. */
        ObjectNode object(Collection<String> dropped) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<String, JsonNode> member : members) {
                if (!dropped.contains(member.getKey()) && !object.has(member.getKey())) {
                    object.set(member.getKey(), member.getValue());
                }
            }
            return object;
        }
    }

    private final JsonParser parser;
    private final Map<ObjectNode, Set<String>> duplicates = new IdentityHashMap<>();

    private StrictJsonReader(JsonParser parser) {
        this.parser = parser;
    }

    /** One JSON object and nothing after it ({@code serde_json::from_str}). */
    static Document read(JsonFactory factory, String text) throws MessageParseException {
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MessageParseException("expected a JSON object");
            }
            StrictJsonReader reader = new StrictJsonReader(parser);
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                members.add(Map.entry(name, reader.value(parser.nextToken())));
            }
            if (parser.nextToken() != null) {
                throw new MessageParseException("trailing characters");
            }
            return new Document(members, reader.duplicates);
        } catch (JsonProcessingException e) {
            throw new MessageParseException(e.getOriginalMessage());
        } catch (IOException e) {
            throw new MessageParseException(String.valueOf(e.getMessage()));
        }
    }

    private JsonNode value(JsonToken token) throws IOException, MessageParseException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    if (object.replace(name, value(parser.nextToken())) != null) {
                        duplicates.computeIfAbsent(object, key -> new HashSet<>()).add(name);
                    }
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(value(next));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return NODES.numberNode(parser.getIntValue());
                    case LONG:
                        return NODES.numberNode(parser.getLongValue());
                    default: {
                        BigInteger big = parser.getBigIntegerValue();
                        if (Double.isInfinite(big.doubleValue())) {
                            throw new MessageParseException("number out of range");
                        }
                        return NODES.numberNode(big);
                    }
                }
            case VALUE_NUMBER_FLOAT: {
                double value = parser.getDoubleValue();
                if (!Double.isFinite(value)) {
                    throw new MessageParseException("number out of range");
                }
                return NODES.numberNode(value);
            }
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new MessageParseException("unexpected token " + token);
        }
    }
}
