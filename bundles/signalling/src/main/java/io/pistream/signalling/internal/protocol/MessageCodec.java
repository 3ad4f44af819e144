package io.pistream.signalling.internal.protocol;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads client messages and writes server messages exactly as the reference server does
 * (gst-plugins-rs {@code net/webrtc/protocol}, serde with {@code tag="type"}, camelCase names).
 *
 * <p>Parsing follows serde's rules, because what the reference server fails to parse it drops
 * without a reply:
 * <ul>
 * <li>the message is one JSON object; trailing characters fail (as {@code serde_json::from_str});</li>
 * <li>unknown fields are ignored, a known field given twice fails, and so does a second {@code type};</li>
 * <li>required fields must be present with the right JSON type; {@code Option} fields may be
 * absent or {@code null};</li>
 * <li>{@code sdpMLineIndex} must be an integer in the unsigned 32-bit range;</li>
 * <li>a {@code peer} message takes the first {@code sdp} or {@code ice} key in document order;</li>
 * <li>at most 127 nested arrays/objects (serde_json's recursion limit), and numbers must fit a
 * double.</li>
 * </ul>
 * Serde also accepts the positional (JSON array) form of structs; real clients never send it and
 * this codec drops it.
 *
 * <p>Thread-safe.
 */
public final class MessageCodec {

    /** serde_json's recursion limit: 127 nested containers, the message object included. */
    static final int MAX_NESTING_DEPTH = 127;

    private static final long MAX_U32 = 0xFFFF_FFFFL;

    private final JsonFactory factory;
    private final ObjectMapper mapper;

    public MessageCodec() {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        this.mapper = new ObjectMapper(factory);
    }

    // ------------------------------------------------------------------------------------------
    // Parsing

    /**
     * @param text one WebSocket text frame
     * @return the message
     * @throws MessageParseException if the reference server would fail to parse it
     */
    public IncomingMessage parse(String text) throws MessageParseException {
        Fields top;
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MessageParseException("expected a JSON object");
            }
            TreeReader reader = new TreeReader(parser);
            List<Map.Entry<String, JsonNode>> entries = reader.readEntries();
            if (parser.nextToken() != null) {
                throw new MessageParseException("trailing characters");
            }
            top = new Fields(entries, reader.duplicates);
        } catch (JsonProcessingException e) {
            throw new MessageParseException(e.getOriginalMessage());
        } catch (IOException e) {
            throw new MessageParseException(String.valueOf(e.getMessage()));
        }
        return decode(top);
    }

    private static IncomingMessage decode(Fields top) throws MessageParseException {
        String type = top.tag("type");
        switch (type) {
            case "setPeerStatus": {
                top.requireUnique("roles", "meta", "peerId");
                List<PeerRole> roles = roles(top.get("roles"));
                JsonNode meta = optionalValue(top.get("meta"));
                String peerId = optionalString(top.get("peerId"), "peerId");
                return new IncomingMessage.SetPeerStatus(new PeerStatus(roles, meta, peerId));
            }
            case "startSession":
                top.requireUnique("peerId", "offer");
                return new IncomingMessage.StartSession(
                        requiredString(top.get("peerId"), "peerId"),
                        optionalString(top.get("offer"), "offer"));
            case "peer":
                top.requireUnique("sessionId");
                return new IncomingMessage.Peer(requiredString(top.get("sessionId"), "sessionId"), payload(top));
            case "endSession":
                top.requireUnique("sessionId");
                return new IncomingMessage.EndSession(requiredString(top.get("sessionId"), "sessionId"));
            case "endSessionV1_1":
                top.requireUnique("sessionId", "error");
                return new IncomingMessage.EndSessionV1_1(
                        requiredString(top.get("sessionId"), "sessionId"),
                        optionalString(top.get("error"), "error"));
            case "list":
                return new IncomingMessage.ListProducers();
            case "listConsumers":
                return new IncomingMessage.ListConsumers();
            case "setProtocolVersion": {
                String name = top.tag("version");
                ProtocolVersion version = ProtocolVersion.fromWire(name);
                if (version == null) {
                    throw new MessageParseException("unknown variant `" + name + "`, expected `v1_0` or `v1_1`");
                }
                return new IncomingMessage.SetProtocolVersion(version);
            }
            default:
                // includes "newPeer", which only the server itself may inject
                throw new MessageParseException("unknown variant `" + type + "`");
        }
    }

    private static PeerPayload payload(Fields top) throws MessageParseException {
        for (Map.Entry<String, JsonNode> e : top.entries) {
            if ("sdp".equals(e.getKey())) {
                ObjectNode sdp = object(e.getValue(), "sdp");
                top.requireUnique(sdp, "type", "sdp");
                JsonNode typeNode = sdp.get("type");
                if (typeNode == null) {
                    throw new MessageParseException("missing field `type`");
                }
                if (!typeNode.isTextual()) {
                    throw new MessageParseException("invalid type for `type`");
                }
                PeerPayload.SdpType type = PeerPayload.SdpType.fromWire(typeNode.textValue());
                if (type == null) {
                    throw new MessageParseException("unknown variant `" + typeNode.textValue() + "`");
                }
                return new PeerPayload.Sdp(type, requiredString(sdp.get("sdp"), "sdp"));
            }
            if ("ice".equals(e.getKey())) {
                ObjectNode ice = object(e.getValue(), "ice");
                top.requireUnique(ice, "candidate", "sdpMLineIndex");
                String candidate = requiredString(ice.get("candidate"), "candidate");
                JsonNode index = ice.get("sdpMLineIndex");
                if (index == null) {
                    throw new MessageParseException("missing field `sdpMLineIndex`");
                }
                if (!index.isIntegralNumber() || !index.canConvertToLong()
                        || index.longValue() < 0 || index.longValue() > MAX_U32) {
                    throw new MessageParseException("invalid value for `sdpMLineIndex`: " + index);
                }
                return new PeerPayload.Ice(candidate, index.longValue());
            }
        }
        throw new MessageParseException("no variant of enum PeerMessageInner found in flattened data");
    }

    private static ObjectNode object(JsonNode node, String name) throws MessageParseException {
        if (!(node instanceof ObjectNode)) {
            throw new MessageParseException("invalid type for `" + name + "`, expected an object");
        }
        return (ObjectNode) node;
    }

    private static List<PeerRole> roles(JsonNode node) throws MessageParseException {
        if (node == null) {
            throw new MessageParseException("missing field `roles`");
        }
        if (!node.isArray()) {
            throw new MessageParseException("invalid type for `roles`, expected a sequence");
        }
        List<PeerRole> roles = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            PeerRole role = item.isTextual() ? PeerRole.fromWire(item.textValue()) : null;
            if (role == null) {
                throw new MessageParseException("invalid role " + item);
            }
            roles.add(role);
        }
        return roles;
    }

    private static String requiredString(JsonNode node, String name) throws MessageParseException {
        if (node == null) {
            throw new MessageParseException("missing field `" + name + "`");
        }
        if (!node.isTextual()) {
            throw new MessageParseException("invalid type for `" + name + "`, expected a string");
        }
        return node.textValue();
    }

    private static String optionalString(JsonNode node, String name) throws MessageParseException {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new MessageParseException("invalid type for `" + name + "`, expected a string");
        }
        return node.textValue();
    }

    private static JsonNode optionalValue(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    /** The members of the top-level object, in document order, duplicates kept. */
    private static final class Fields {
        final List<Map.Entry<String, JsonNode>> entries;
        final Map<ObjectNode, Set<String>> nestedDuplicates;

        Fields(List<Map.Entry<String, JsonNode>> entries, Map<ObjectNode, Set<String>> nestedDuplicates) {
            this.entries = entries;
            this.nestedDuplicates = nestedDuplicates;
        }

        JsonNode get(String name) {
            for (Map.Entry<String, JsonNode> e : entries) {
                if (e.getKey().equals(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        /** A serde internal tag: present once, a string. */
        String tag(String name) throws MessageParseException {
            requireUnique(name);
            JsonNode node = get(name);
            if (node == null) {
                throw new MessageParseException("missing field `" + name + "`");
            }
            if (!node.isTextual()) {
                throw new MessageParseException("invalid type for `" + name + "`, expected a string");
            }
            return node.textValue();
        }

        void requireUnique(String... names) throws MessageParseException {
            for (String name : names) {
                int count = 0;
                for (Map.Entry<String, JsonNode> e : entries) {
                    if (e.getKey().equals(name) && ++count > 1) {
                        throw new MessageParseException("duplicate field `" + name + "`");
                    }
                }
            }
        }

        void requireUnique(ObjectNode nested, String... names) throws MessageParseException {
            Set<String> duplicated = nestedDuplicates.get(nested);
            if (duplicated == null) {
                return;
            }
            for (String name : names) {
                if (duplicated.contains(name)) {
                    throw new MessageParseException("duplicate field `" + name + "`");
                }
            }
        }
    }

    /**
     * Builds the tree by hand so that duplicate keys are seen (Jackson's tree silently keeps the
     * last one) and numbers are checked the way serde_json checks them.
     */
    private static final class TreeReader {
        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

        final JsonParser parser;
        final Map<ObjectNode, Set<String>> duplicates = new IdentityHashMap<>();

        TreeReader(JsonParser parser) {
            this.parser = parser;
        }

        /** Reads the members of the object whose START_OBJECT was just read. */
        List<Map.Entry<String, JsonNode>> readEntries() throws IOException, MessageParseException {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                entries.add(Map.entry(name, readValue(parser.nextToken())));
            }
            return entries;
        }

        private JsonNode readValue(JsonToken token) throws IOException, MessageParseException {
            switch (token) {
                case START_OBJECT: {
                    ObjectNode object = NODES.objectNode();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        JsonNode value = readValue(parser.nextToken());
                        if (object.replace(name, value) != null) {
                            duplicates.computeIfAbsent(object, k -> new HashSet<>()).add(name);
                        }
                    }
                    return object;
                }
                case START_ARRAY: {
                    ArrayNode array = NODES.arrayNode();
                    JsonToken next;
                    while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                        array.add(readValue(next));
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

    // ------------------------------------------------------------------------------------------
    // Writing

    /**
     * @param message a server message
     * @return its JSON text, fields in the reference server's order, {@code null}s written out
     */
    public String encode(OutgoingMessage message) {
        StringWriter out = new StringWriter(96);
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            if (message instanceof OutgoingMessage.Welcome m) {
                g.writeStringField("type", "welcome");
                g.writeStringField("peerId", m.peerId());
            } else if (message instanceof OutgoingMessage.PeerStatusChanged m) {
                g.writeStringField("type", "peerStatusChanged");
                g.writeArrayFieldStart("roles");
                for (PeerRole role : m.roles()) {
                    g.writeString(role.wireName());
                }
                g.writeEndArray();
                writeValueField(g, "meta", m.meta());
                // PeerStatus.peerId is the one optional field the reference server omits when unset
                if (m.peerId() != null) {
                    g.writeStringField("peerId", m.peerId());
                }
            } else if (message instanceof OutgoingMessage.StartSession m) {
                g.writeStringField("type", "startSession");
                g.writeStringField("peerId", m.peerId());
                g.writeStringField("sessionId", m.sessionId());
                writeStringOrNull(g, "offer", m.offer());
            } else if (message instanceof OutgoingMessage.SessionStarted m) {
                g.writeStringField("type", "sessionStarted");
                g.writeStringField("peerId", m.peerId());
                g.writeStringField("sessionId", m.sessionId());
            } else if (message instanceof OutgoingMessage.EndSession m) {
                g.writeStringField("type", "endSession");
                g.writeStringField("sessionId", m.sessionId());
            } else if (message instanceof OutgoingMessage.EndSessionV1_1 m) {
                g.writeStringField("type", "endSessionV1_1");
                g.writeStringField("sessionId", m.sessionId());
                writeStringOrNull(g, "error", m.error());
            } else if (message instanceof OutgoingMessage.Peer m) {
                g.writeStringField("type", "peer");
                g.writeStringField("sessionId", m.sessionId());
                writePayload(g, m.payload());
            } else if (message instanceof OutgoingMessage.ProducerList m) {
                g.writeStringField("type", "list");
                writeEntries(g, "producers", m.producers());
            } else if (message instanceof OutgoingMessage.ConsumerList m) {
                g.writeStringField("type", "listConsumers");
                writeEntries(g, "consumers", m.consumers());
            } else if (message instanceof OutgoingMessage.ErrorMessage m) {
                g.writeStringField("type", "error");
                g.writeStringField("details", m.details());
            } else {
                throw new IllegalArgumentException("Unknown message " + message);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * @param value a JSON value or {@code null}
     * @return compact JSON text, or {@code null} for {@code null}
     */
    public String toJson(JsonNode value) {
        if (value == null) {
            return null;
        }
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writePayload(JsonGenerator g, PeerPayload payload) throws IOException {
        if (payload instanceof PeerPayload.Sdp sdp) {
            g.writeObjectFieldStart("sdp");
            g.writeStringField("type", sdp.type().wireName());
            g.writeStringField("sdp", sdp.sdp());
            g.writeEndObject();
        } else if (payload instanceof PeerPayload.Ice ice) {
            g.writeObjectFieldStart("ice");
            g.writeStringField("candidate", ice.candidate());
            g.writeNumberField("sdpMLineIndex", ice.sdpMLineIndex());
            g.writeEndObject();
        } else {
            throw new IllegalArgumentException("Unknown payload " + payload);
        }
    }

    private static void writeEntries(JsonGenerator g, String name, List<OutgoingMessage.PeerEntry> entries)
            throws IOException {
        g.writeArrayFieldStart(name);
        for (OutgoingMessage.PeerEntry entry : entries) {
            g.writeStartObject();
            g.writeStringField("id", entry.id());
            writeValueField(g, "meta", entry.meta());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeValueField(JsonGenerator g, String name, JsonNode value) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            g.writeTree(value);
        }
    }

    private static void writeStringOrNull(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }
}
