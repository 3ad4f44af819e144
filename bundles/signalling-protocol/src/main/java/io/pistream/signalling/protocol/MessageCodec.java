package io.pistream.signalling.protocol;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Reads and writes the protocol's messages: Jackson maps them to and from the records of this package, set up
 * with serde's rules, because what the reference server fails to parse it drops without a reply:
 * <ul>
 * <li>the message is one JSON object; trailing characters fail (as {@code serde_json::from_str});</li>
 * <li>unknown fields are ignored, a declared field given twice fails, and so does a second {@code type};</li>
 * <li>required fields must be present with the right JSON type, no coercion (a number is no string, 1.0 is
 * no integer); {@code Option} fields may be absent or {@code null};</li>
 * <li>{@code sdpMLineIndex} must be an integer in the unsigned 32-bit range;</li>
 * <li>a {@code peer} message takes the first {@code sdp} or {@code ice} key in document order;</li>
 * <li>at most 127 nested arrays/objects (serde_json's recursion limit), and numbers must fit a double.</li>
 * </ul>
 * The duplicate, order and number rules need the document as serde sees it: {@link StrictJsonReader}.
 *
 * <p>Thread-safe.
 */
public final class MessageCodec {

    /** serde_json's recursion limit: 127 nested containers, the message object included. */
    static final int MAX_NESTING_DEPTH = 127;

    /** The keys of serde's flattened {@code peer} payload: the first one present is the payload. */
    private static final List<String> PEER_PAYLOAD_KEYS = List.of("sdp", "ice");

    private final JsonFactory factory;
    private final ObjectMapper mapper;
    private final ObjectReader incomingReader;
    private final ObjectReader outgoingReader;
    private final ObjectWriter incomingWriter;
    private final ObjectWriter outgoingWriter;
    /** The fields each client message declares (by its type tag), as Jackson sees the records. */
    private final Map<String, Set<String>> declaredFields = new HashMap<>();
    private final Set<String> sdpFields;
    private final Set<String> iceFields;

    public MessageCodec() {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        this.mapper = JsonMapper.builder(factory)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail))
                .build();
        this.incomingReader = mapper.readerFor(IncomingMessage.class);
        this.outgoingReader = mapper.readerFor(OutgoingMessage.class);
        this.incomingWriter = mapper.writerFor(IncomingMessage.class);
        this.outgoingWriter = mapper.writerFor(OutgoingMessage.class);
        for (JsonSubTypes.Type type : IncomingMessage.class.getAnnotation(JsonSubTypes.class).value()) {
            Set<String> fields = fields(type.value());
            fields.add("type");
            if (type.value() == IncomingMessage.Peer.class) {
                fields.removeAll(PEER_PAYLOAD_KEYS);
            }
            declaredFields.put(type.name(), fields);
        }
        this.sdpFields = fields(PeerPayload.Sdp.class);
        this.iceFields = fields(PeerPayload.Ice.class);
    }

    private Set<String> fields(Class<?> type) {
        Set<String> names = new HashSet<>();
        for (BeanPropertyDefinition property : mapper.getDeserializationConfig()
                .introspect(mapper.constructType(type)).findProperties()) {
            names.add(property.getName());
        }
        return names;
    }

    // --- the server's side --------------------------------------------------------------------------------------

    /**
     * @param text one WebSocket text frame from a client
     * @return the message
     * @throws MessageParseException if the reference server would fail to parse it
     */
    public IncomingMessage parse(String text) throws MessageParseException {
        StrictJsonReader.Document document = StrictJsonReader.read(factory, text);
        String type = document.tag("type");
        Set<String> declared = declaredFields.get(type);
        if (declared == null) {
            // includes "newPeer", which only the server itself may inject
            throw new MessageParseException("unknown variant `" + type + "`");
        }
        document.requireUnique(declared);
        List<String> dropped = List.of();
        if (type.equals("peer")) {
            String payload = document.firstOf(PEER_PAYLOAD_KEYS);
            if (payload != null) {
                document.requireUnique(document.first(payload), payload.equals("sdp") ? sdpFields : iceFields);
                dropped = payload.equals("sdp") ? List.of("ice") : List.of("sdp");
            }
        }
        try {
            return incomingReader.treeToValue(document.object(dropped), IncomingMessage.class);
        } catch (JsonProcessingException e) {
            throw new MessageParseException(e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new MessageParseException(e.getMessage());
        }
    }

    /**
     * @param message a server message
     * @return its JSON text, fields in the reference server's order, {@code null}s written out
     */
    public String encode(OutgoingMessage message) {
        return write(outgoingWriter, message);
    }

    // --- a client's side ----------------------------------------------------------------------------------------

    /** @return the JSON text of a message to the server; optional fields that are null are left out */
    public String encode(IncomingMessage message) {
        return write(incomingWriter, message);
    }

    /**
     * @param text one WebSocket text frame from the server
     * @throws MessageParseException if it is no message of the protocol
     */
    public OutgoingMessage parseServerMessage(String text) throws MessageParseException {
        try {
            return outgoingReader.readValue(text);
        } catch (JsonProcessingException e) {
            throw new MessageParseException(e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new MessageParseException(e.getMessage());
        }
    }

    /**
     * @param value a JSON value or {@code null}
     * @return compact JSON text, or {@code null} for {@code null}
     */
    public String toJson(JsonNode value) {
        return value == null ? null : write(mapper.writer(), value);
    }

    private static String write(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
