package io.pistream.signalling.conformance;

import static io.pistream.signalling.conformance.TestClient.q;
import static io.pistream.signalling.conformance.TestClient.stamped;
import static io.pistream.signalling.conformance.TestClient.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.signalling.internal.jetty.SignallingSettings;
import io.pistream.signalling.internal.router.SignallingLimits;

/**
 * Bad input gets the reference server's reaction (dropped silently, or an {@code error} to the sender
 * only) and disturbs no other peer or session.
 */
class BadInputTest extends ServerFixture {

    private static final int MAX_MESSAGE_SIZE = 16 * 1024;

    private TestClient listener;
    private TestClient producer;
    private TestClient consumer;
    private String session;

    /** A small message limit; no message rate to speak of, as the bad input is sent as fast as it can be. */
    @Override
    protected SignallingSettings settings() {
        return super.settings().withLimits(SignallingLimits.defaults().withMaxMessageSize(MAX_MESSAGE_SIZE)
                .withSendQueueBytes(MAX_MESSAGE_SIZE * 4).withMaxMetaBytes(1024).withMessageRate(100_000, 100_000));
    }

    /** A listener, and a producer and consumer in a session: the bystanders that must not be disturbed. */
    @BeforeEach
    void bystanders() {
        listener = listener();
        producer = registered("['producer']", "{'name':'cam'}", listener);
        consumer = connect();
        session = startSession(consumer, producer, producer, consumer, null);
    }

    /** Bystanders got nothing, and the session still relays both ways. */
    private void assertUndisturbed() {
        listener.expectNothing();
        producer.expectNothing();
        consumer.expectNothing();
        producer.sendQ("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'p','sdpMLineIndex':0}}");
        consumer.expectQ("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'p','sdpMLineIndex':0}}");
        consumer.sendQ("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c','sdpMLineIndex':1}}");
        producer.expectQ("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c','sdpMLineIndex':1}}");
    }

    @Test
    void malformedJsonIsDroppedSilently() {
        TestClient bad = connect();
        for (String text : List.of("", "{", "not json", "{'type':'list'", "{'type':'list'} trailing", "[]", "42",
                "null", "'list'", "{'type':'list',}", "{type:'list'}", "{'type':'list'}{'type':'list'}",
                "{'type':'list','a':NaN}", "{'type':'setPeerStatus','roles':[],'meta':1e400}")) {
            bad.send(q(text));
        }
        bad.expectNothing();
        assertUndisturbed();
    }

    @Test
    void unknownTypesAreDroppedSilently() {
        TestClient bad = connect();
        bad.sendQ("{'type':'hello'}");
        bad.sendQ("{'type':'List'}");
        bad.sendQ("{'type':'setConsumerStatus','roles':['consumer']}");
        bad.sendQ("{'type':'welcome','peerId':'x'}");
        bad.sendQ("{'type':'error','details':'x'}");
        bad.sendQ("{'type':null}");
        bad.sendQ("{'type':7}");
        bad.sendQ("{'roles':['producer']}");
        bad.sendQ("{'type':'newPeer'}"); // refused: no second welcome
        bad.expectNothing();
        assertUndisturbed();
    }

    @Test
    void missingOrMistypedFieldsAreDroppedSilently() {
        TestClient bad = connect();
        for (String text : List.of(
                "{'type':'setPeerStatus','meta':{'name':'x'}}",
                "{'type':'setPeerStatus','roles':null}",
                "{'type':'setPeerStatus','roles':'producer'}",
                "{'type':'setPeerStatus','roles':['admin']}",
                "{'type':'setPeerStatus','roles':['producer'],'peerId':5}",
                "{'type':'setPeerStatus','roles':['producer'],'roles':['listener']}",
                "{'type':'startSession'}",
                "{'type':'startSession','peerId':null}",
                "{'type':'startSession','peerId':'" + producer.id() + "','offer':{'sdp':'x'}}",
                "{'type':'peer','sdp':{'type':'offer','sdp':'x'}}",
                "{'type':'peer','sessionId':'" + session + "'}",
                "{'type':'peer','sessionId':'" + session + "','sdp':{'type':'pranswer','sdp':'x'}}",
                "{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer'}}",
                "{'type':'peer','sessionId':'" + session + "','sdp':'v=0'}",
                "{'type':'peer','sessionId':'" + session + "','ice':{'sdpMLineIndex':0}}",
                "{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c'}}",
                "{'type':'peer','sessionId':'" + session + "','ice':{'candidate':1,'sdpMLineIndex':0}}",
                "{'type':'peer','sessionId':7,'ice':{'candidate':'c','sdpMLineIndex':0}}",
                "{'type':'endSession'}",
                "{'type':'endSession','sessionId':null}",
                "{'type':'endSession','sessionId':'" + session + "','sessionId':'" + session + "'}",
                "{'type':'endSessionV1_1','error':'x'}",
                "{'type':'setProtocolVersion'}",
                "{'type':'setProtocolVersion','version':'v2_0'}",
                "{'type':'list','type':'list'}")) {
            bad.send(q(text));
        }
        bad.expectNothing();
        assertUndisturbed();
    }

    @Test
    void badSdpMLineIndexDropsTheWholeMessage() {
        for (String index : List.of("-1", "-2147483648", "null", "1.5", "0.0", "'0'", "4294967296", "1e2", "true")) {
            producer.sendQ("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c','sdpMLineIndex':" + index
                    + "}}");
        }
        producer.expectNothing();
        assertUndisturbed();
    }

    @Test
    void aConsumerOfferGetsAnErrorToItOnly() {
        consumer.sendQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'offer','sdp':'v=0'}}");
        consumer.expectError("cannot forward offer from \"" + consumer.id() + "\" to \"" + producer.id() + "\" as \""
                + consumer.id() + "\" is not the producer");
        assertUndisturbed();
    }

    @Test
    void aPeerMessageForSomeoneElsesSessionGetsAnErrorToItOnly() {
        TestClient stranger = connect();
        stranger.sendQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer','sdp':'x'}}");
        stranger.expectError("Peer " + stranger.id() + " is not part of " + session);
        assertUndisturbed();
    }

    @Test
    void anOversizedFrameClosesOnlyThatConnection() {
        TestClient big = connect();
        big.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'big'}}");
        listener.expectQ("{'type':'peerStatusChanged','roles':['producer'],'meta':" + stamped("{'name':'big'}") + ",'peerId':'" + big.id()
                + "'}");
        String bigSession = startSession(consumer, big, big, consumer, null);

        big.send("{\"type\":\"list\",\"pad\":\"" + "x".repeat(MAX_MESSAGE_SIZE) + "\"}");
        assertEquals(1009, big.awaitClose()); // MESSAGE_TOO_LARGE
        // removed as on disconnect: the other member first, then the listeners
        consumer.expectQ("{'type':'endSession','sessionId':'" + bigSession + "'}");
        listener.expectQ("{'type':'peerStatusChanged','roles':[],'meta':" + stamped("{'name':'big'}") + ",'peerId':'" + big.id() + "'}");
        assertUndisturbed();

        // a message just under the limit is fine
        TestClient fits = connect();
        fits.send("{\"type\":\"list\",\"pad\":\"" + "x".repeat(MAX_MESSAGE_SIZE - 100) + "\"}");
        assertEquals("list", fits.next().get("type").asText());
    }

    @Test
    void binaryFramesAreIgnored() {
        TestClient bin = connect();
        bin.sendBinary(ByteBuffer.wrap("{\"type\":\"list\"}".getBytes()));
        bin.expectNothing();
        assertUndisturbed();
    }

    @Test
    void aClientThatDisconnectsMidSessionOnlyEndsItsOwnSession() {
        TestClient other = connect();
        String otherSession = startSession(other, producer, producer, other, null);
        other.sendQ("{'type':'peer','sessionId':'" + otherSession + "','ice':{'candidate':'x','sdpMLineIndex':0}}");
        producer.next();
        other.abort();
        producer.expectQ("{'type':'endSession','sessionId':'" + otherSession + "'}");
        listener.expectQ("{'type':'peerStatusChanged','roles':[],'meta':" + stamped("null") + ",'peerId':'" + other.id() + "'}");
        assertUndisturbed();
    }

    @Test
    void aThousandRandomMessages() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        TestClient fuzzer = connect();
        fuzzer.sendQ("{'type':'list'}"); // from now on setProtocolVersion is never the first message
        fuzzer.next();

        List<String> expectedReplies = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Fuzz fuzz = fuzz(random, fuzzer.id());
            if (fuzz.binary) {
                fuzzer.sendBinary(ByteBuffer.wrap(fuzz.text.getBytes()));
            } else {
                fuzzer.send(fuzz.text);
            }
            if (fuzz.reply != null) {
                expectedReplies.add(fuzz.reply);
            }
        }
        for (String reply : expectedReplies) {
            JsonNode actual = fuzzer.next();
            assertEquals(tree(reply), actual, "seed " + seed);
        }
        fuzzer.expectNothing();
        assertUndisturbed();
    }

    private record Fuzz(String text, String reply, boolean binary) {
        static Fuzz dropped(String text) {
            return new Fuzz(text, null, false);
        }
    }

    private static final String[] VALID = {
        "{'type':'list'}",
        "{'type':'listConsumers'}",
        "{'type':'startSession','peerId':'ID','offer':null}",
        "{'type':'peer','sessionId':'ID','sdp':{'type':'offer','sdp':'v=0'}}",
        "{'type':'peer','sessionId':'ID','ice':{'candidate':'c','sdpMLineIndex':3}}",
        "{'type':'endSession','sessionId':'ID'}",
        "{'type':'endSessionV1_1','sessionId':'ID','error':'e'}",
        "{'type':'setPeerStatus','roles':['listener'],'meta':{'name':'fuzz'}}",
        "{'type':'setProtocolVersion','version':'v1_1'}",
    };

    /** One random message whose reaction is known by construction (never naming a real peer or session). */
    private Fuzz fuzz(Random random, String self) {
        String randomId = java.util.UUID.randomUUID().toString();
        switch (random.nextInt(16)) {
            case 0: { // garbage that cannot be a JSON object
                StringBuilder text = new StringBuilder();
                text.append("x[]\"0,:}".charAt(random.nextInt(8)));
                int length = random.nextInt(120);
                for (int i = 0; i < length; i++) {
                    text.append((char) (random.nextBoolean() ? 32 + random.nextInt(95) : random.nextInt(0x3000)));
                }
                return Fuzz.dropped(text.toString());
            }
            case 1: { // a proper prefix of a valid message
                String valid = q(VALID[random.nextInt(VALID.length)]).replace("ID", randomId);
                return Fuzz.dropped(valid.substring(0, random.nextInt(valid.length())));
            }
            case 2: // an unknown type with random fields
                return Fuzz.dropped(q("{'type':'" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "','peerId':'"
                        + self + "','roles':['producer']}"));
            case 3: // a JSON value that is not an object
                return Fuzz.dropped(List.of("[]", "[{'type':'list'}]", "'list'", "null", "true", "-0.5",
                        String.valueOf(random.nextInt())).get(random.nextInt(7)).replace('\'', '"'));
            case 4: { // a valid message with a field missing or mistyped
                String[] broken = {
                    "{'type':'setPeerStatus','meta':null}",
                    "{'type':'setPeerStatus','roles':[" + random.nextInt() + "]}",
                    "{'type':'startSession','offer':'v=0'}",
                    "{'type':'peer','sessionId':'ID'}",
                    "{'type':'peer','sessionId':'ID','ice':{'candidate':'c','sdpMLineIndex':-" + (1 + random.nextInt(1000)) + "}}",
                    "{'type':'peer','sessionId':'ID','ice':{'candidate':'c','sdpMLineIndex':" + random.nextDouble() + "}}",
                    "{'type':'peer','sessionId':'ID','sdp':{'type':'rollback','sdp':'x'}}",
                    "{'type':'endSession','sessionId':" + random.nextInt() + "}",
                    "{'type':'setProtocolVersion','version':'v" + random.nextInt(9) + "_" + (2 + random.nextInt(8)) + "'}",
                };
                return Fuzz.dropped(q(broken[random.nextInt(broken.length)]).replace("ID", randomId));
            }
            case 5: // valid message with trailing characters
                return Fuzz.dropped(q(VALID[random.nextInt(VALID.length)]).replace("ID", randomId) + " x");
            case 6: // duplicate known field
                return Fuzz.dropped(q("{'type':'endSession','sessionId':'ID','sessionId':'ID'}").replace("ID", randomId));
            case 7: // nesting beyond serde_json's limit
                return Fuzz.dropped(q("{'type':'setPeerStatus','roles':[],'meta':") + "[".repeat(130) + "]".repeat(130)
                        + "}");
            case 8: // unknown session: ignored
                return Fuzz.dropped(q(VALID[3 + random.nextInt(4)]).replace("ID", randomId));
            case 9: // unknown peer
                return new Fuzz(q("{'type':'startSession','peerId':'" + randomId + "'}"),
                        q("{'type':'error','details':'Peer with ID \\u0027" + randomId + "\\u0027 not found'}"), false);
            case 10: // both producer and consumer
                return new Fuzz(q("{'type':'setPeerStatus','roles':['consumer','listener','producer']}"),
                        q("{'type':'error','details':'Cannot register peer " + self
                                + " as both producer and passive consumer'}"), false);
            case 11: // protocol version too late
                return new Fuzz(q(VALID[8]), q("{'type':'error','details':'Protocol version selection for peer \\u0027"
                        + self + "\\u0027 must be first message'}"), false);
            case 12:
                return new Fuzz(q(VALID[0]),
                        q("{'type':'list','producers':[{'id':'" + producer.id() + "','meta':" + stamped("{'name':'cam'}") + "}]}"), false);
            case 13:
                return new Fuzz(q(VALID[1]), q("{'type':'listConsumers','consumers':[]}"), false);
            case 14: // binary frame: ignored
                return new Fuzz(q(VALID[random.nextInt(VALID.length)]), null, true);
            default: // the server's own internal message
                return Fuzz.dropped(q("{'type':'newPeer'}"));
        }
    }
}
