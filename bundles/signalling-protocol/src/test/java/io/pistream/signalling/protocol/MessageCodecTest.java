package io.pistream.signalling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

class MessageCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final MessageCodec codec = new MessageCodec();

    private static String q(String s) {
        return s.replace('\'', '"');
    }

    private IncomingMessage parse(String singleQuoted) throws MessageParseException {
        return codec.parse(q(singleQuoted));
    }

    private static JsonNode tree(String singleQuoted) throws Exception {
        return JSON.readTree(q(singleQuoted));
    }

    // ------------------------------------------------------------------------------------------
    // parsing what clients send

    @Test
    void setPeerStatus() throws Exception {
        assertEquals(new IncomingMessage.SetPeerStatus(
                        new PeerStatus(List.of(PeerRole.LISTENER, PeerRole.PRODUCER), tree("{'name':'cam'}"), null)),
                parse("{'type':'setPeerStatus','roles':['listener','producer'],'meta':{'name':'cam'}}"));
        // roles keep order and duplicates; meta absent or null is none; peerId is read
        assertEquals(new IncomingMessage.SetPeerStatus(
                        new PeerStatus(List.of(PeerRole.CONSUMER, PeerRole.CONSUMER), null, "me")),
                parse("{'peerId':'me','roles':['consumer','consumer'],'type':'setPeerStatus','unknown':[1,2]}"));
        assertEquals(new IncomingMessage.SetPeerStatus(new PeerStatus(List.of(), null, null)),
                parse("{'type':'setPeerStatus','roles':[],'meta':null,'peerId':null}"));
        // meta may be any JSON value
        IncomingMessage.SetPeerStatus s = (IncomingMessage.SetPeerStatus) parse(
                "{'type':'setPeerStatus','roles':[],'meta':[1,'two',{'three':3.5}]}");
        assertEquals(tree("[1,'two',{'three':3.5}]"), s.status().meta());
    }

    @Test
    void sessionMessages() throws Exception {
        assertEquals(new IncomingMessage.StartSession("p", null), parse("{'type':'startSession','peerId':'p'}"));
        assertEquals(new IncomingMessage.StartSession("p", "v=0\r\n"),
                codec.parse("{\"type\":\"startSession\",\"peerId\":\"p\",\"offer\":\"v=0\\r\\n\"}"));
        assertEquals(new IncomingMessage.EndSession("s"), parse("{'type':'endSession','sessionId':'s'}"));
        assertEquals(new IncomingMessage.EndSessionV1_1("s", null), parse("{'type':'endSessionV1_1','sessionId':'s'}"));
        assertEquals(new IncomingMessage.EndSessionV1_1("s", "e"),
                parse("{'type':'endSessionV1_1','sessionId':'s','error':'e'}"));
        assertEquals(new IncomingMessage.ListProducers(), parse("{'type':'list'}"));
        assertEquals(new IncomingMessage.ListProducers(), parse("{'type':'list','producers':5,'x':1,'x':2}"));
        assertEquals(new IncomingMessage.ListConsumers(), parse("  {'type':'listConsumers'}\n"));
        assertEquals(new IncomingMessage.SetProtocolVersion(ProtocolVersion.V1_1),
                parse("{'type':'setProtocolVersion','version':'v1_1'}"));
        assertEquals(new IncomingMessage.SetProtocolVersion(ProtocolVersion.V1_0),
                parse("{'version':'v1_0','type':'setProtocolVersion'}"));
    }

    @Test
    void peerMessages() throws Exception {
        assertEquals(new IncomingMessage.Peer("s", new PeerPayload.Sdp(PeerPayload.SdpType.OFFER, "v=0")),
                parse("{'type':'peer','sessionId':'s','sdp':{'type':'offer','sdp':'v=0'}}"));
        assertEquals(new IncomingMessage.Peer("s", new PeerPayload.Sdp(PeerPayload.SdpType.ANSWER, "a")),
                parse("{'type':'peer','sessionId':'s','sdp':{'sdp':'a','type':'answer','extra':true}}"));
        assertEquals(new IncomingMessage.Peer("s", new PeerPayload.Ice("candidate:1", 4294967295L)),
                parse("{'type':'peer','sessionId':'s','ice':{'candidate':'candidate:1','sdpMid':'0',"
                        + "'usernameFragment':null,'sdpMLineIndex':4294967295}}"));
        assertEquals(new IncomingMessage.Peer("s", new PeerPayload.Ice("", 0)),
                parse("{'type':'peer','sessionId':'s','ice':{'candidate':'','sdpMLineIndex':-0}}"));
        // the first of sdp/ice in document order wins, as with serde's flattened enum
        assertEquals(new IncomingMessage.Peer("s", new PeerPayload.Ice("c", 1)),
                parse("{'type':'peer','ice':{'candidate':'c','sdpMLineIndex':1},'sessionId':'s',"
                        + "'sdp':{'type':'offer','sdp':'o'}}"));
        assertEquals(new IncomingMessage.Peer("s", new PeerPayload.Ice("first", 1)),
                parse("{'type':'peer','sessionId':'s','ice':{'candidate':'first','sdpMLineIndex':1},"
                        + "'ice':{'candidate':'second','sdpMLineIndex':2}}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "}", "[]", "[{'type':'list'}]", "'list'", "null", "1", "{}",
        "{'type':'list'} x", "{'type':'list'}{}", "{'type':'list',}", "{type:'list'}", "{'type':'list' /* c */}",
        "{'type':'unknown'}", "{'type':'newPeer'}", "{'type':'List'}", "{'type':null}", "{'type':1}", "{'roles':[]}",
        "{'type':'list','type':'list'}",
        // setPeerStatus
        "{'type':'setPeerStatus'}", "{'type':'setPeerStatus','roles':null}", "{'type':'setPeerStatus','roles':{}}",
        "{'type':'setPeerStatus','roles':['Producer']}", "{'type':'setPeerStatus','roles':[null]}",
        "{'type':'setPeerStatus','roles':[],'peerId':1}", "{'type':'setPeerStatus','roles':[],'roles':[]}",
        "{'type':'setPeerStatus','roles':[],'meta':1e400}", "{'type':'setPeerStatus','roles':[],'meta':NaN}",
        // startSession, endSession
        "{'type':'startSession'}", "{'type':'startSession','peerId':null}", "{'type':'startSession','peerId':1}",
        "{'type':'startSession','peerId':'p','offer':1}", "{'type':'startSession','peerId':'p','peerId':'q'}",
        "{'type':'endSession'}", "{'type':'endSession','sessionId':[]}", "{'type':'endSessionV1_1'}",
        "{'type':'endSessionV1_1','sessionId':'s','error':false}",
        // peer
        "{'type':'peer','sdp':{'type':'offer','sdp':'o'}}", "{'type':'peer','sessionId':'s'}",
        "{'type':'peer','sessionId':'s','sdp':null}", "{'type':'peer','sessionId':'s','sdp':'v=0'}",
        "{'type':'peer','sessionId':'s','sdp':{'type':'pranswer','sdp':'o'}}",
        "{'type':'peer','sessionId':'s','sdp':{'type':'offer'}}",
        "{'type':'peer','sessionId':'s','sdp':{'type':'offer','sdp':'a','sdp':'b'}}",
        "{'type':'peer','sessionId':'s','sdp':{'type':'offer','type':'answer','sdp':'b'}}",
        "{'type':'peer','sessionId':'s','ice':{'candidate':'c'}}",
        "{'type':'peer','sessionId':'s','ice':{'sdpMLineIndex':0}}",
        "{'type':'peer','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':-1}}",
        "{'type':'peer','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':null}}",
        "{'type':'peer','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':1.0}}",
        "{'type':'peer','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':1e0}}",
        "{'type':'peer','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':'0'}}",
        "{'type':'peer','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':4294967296}}",
        "{'type':'peer','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':99999999999999999999999}}",
        "{'type':'peer','sessionId':'s','ice':{'candidate':null,'sdpMLineIndex':0}}",
        "{'type':'peer','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':0,'sdpMLineIndex':0}}",
        "{'type':'peer','sessionId':'s','ice':['c',0]}",
        "{'type':'peer','sessionId':'s','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':0}}",
        // setProtocolVersion
        "{'type':'setProtocolVersion'}", "{'type':'setProtocolVersion','version':'v1_2'}",
        "{'type':'setProtocolVersion','version':'V1_1'}", "{'type':'setProtocolVersion','version':1.1}",
        "{'type':'setProtocolVersion','version':'v1_1','version':'v1_1'}",
    })
    void unparseableInputIsRejected(String text) {
        assertThrows(MessageParseException.class, () -> parse(text), text);
    }

    @Test
    void duplicateKeysInsideMetaAreFineButNotInStructs() throws Exception {
        IncomingMessage.SetPeerStatus s = (IncomingMessage.SetPeerStatus) parse(
                "{'type':'setPeerStatus','roles':[],'meta':{'a':1,'a':2}}");
        assertEquals(tree("{'a':2}"), s.status().meta()); // serde_json maps keep the last value
        assertEquals(new IncomingMessage.EndSession("s"), parse("{'type':'endSession','sessionId':'s','x':1,'x':2}"));
    }

    @Test
    void nestingIsLimitedLikeSerdeJson() throws Exception {
        // the message object plus 126 nested arrays = 127 containers: accepted; one more: rejected
        String ok = q("{'type':'setPeerStatus','roles':[],'meta':") + "[".repeat(126) + "]".repeat(126) + "}";
        assertEquals(126, depth(((IncomingMessage.SetPeerStatus) codec.parse(ok)).status().meta()));
        String tooDeep = q("{'type':'setPeerStatus','roles':[],'meta':") + "[".repeat(127) + "]".repeat(127) + "}";
        assertThrows(MessageParseException.class, () -> codec.parse(tooDeep));
    }

    private static int depth(JsonNode node) {
        return node.isArray() ? 1 + (node.size() == 0 ? 0 : depth(node.get(0))) : 0;
    }

    // ------------------------------------------------------------------------------------------
    // writing what the server sends: exact text, field order of the reference server

    @Test
    void encodesEveryServerMessageExactly() throws Exception {
        JsonNode meta = tree("{'name':'cam','n':[1,2.5,null,true]}");
        assertEquals(q("{'type':'welcome','peerId':'p'}"), codec.encode(new OutgoingMessage.Welcome("p")));
        assertEquals(q("{'type':'peerStatusChanged','roles':['listener','producer'],'meta':null,'peerId':'p'}"),
                codec.encode(new OutgoingMessage.PeerStatusChanged(List.of(PeerRole.LISTENER, PeerRole.PRODUCER),
                        null, "p")));
        assertEquals(q("{'type':'peerStatusChanged','roles':[],'meta':{'name':'cam','n':[1,2.5,null,true]},'peerId':'p'}"),
                codec.encode(new OutgoingMessage.PeerStatusChanged(List.of(), meta, "p")));
        assertEquals(q("{'type':'startSession','peerId':'c','sessionId':'s','offer':null}"),
                codec.encode(new OutgoingMessage.StartSession("c", "s", null)));
        assertEquals("{\"type\":\"startSession\",\"peerId\":\"c\",\"sessionId\":\"s\",\"offer\":\"v=0\\r\\n\"}",
                codec.encode(new OutgoingMessage.StartSession("c", "s", "v=0\r\n")));
        assertEquals(q("{'type':'sessionStarted','peerId':'p','sessionId':'s'}"),
                codec.encode(new OutgoingMessage.SessionStarted("p", "s")));
        assertEquals(q("{'type':'endSession','sessionId':'s'}"), codec.encode(new OutgoingMessage.EndSession("s")));
        assertEquals(q("{'type':'endSessionV1_1','sessionId':'s','error':null}"),
                codec.encode(new OutgoingMessage.EndSessionV1_1("s", null)));
        assertEquals(q("{'type':'endSessionV1_1','sessionId':'s','error':'e'}"),
                codec.encode(new OutgoingMessage.EndSessionV1_1("s", "e")));
        assertEquals(q("{'type':'peer','sessionId':'s','sdp':{'type':'answer','sdp':'a'}}"),
                codec.encode(new OutgoingMessage.Peer("s", new PeerPayload.Sdp(PeerPayload.SdpType.ANSWER, "a"))));
        assertEquals(q("{'type':'peer','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':4294967295}}"),
                codec.encode(new OutgoingMessage.Peer("s", new PeerPayload.Ice("c", 4294967295L))));
        assertEquals(q("{'type':'list','producers':[{'id':'a','meta':null},{'id':'b','meta':{'name':'cam','n':[1,2.5,null,true]}}]}"),
                codec.encode(new OutgoingMessage.ProducerList(List.of(new OutgoingMessage.PeerEntry("a", null),
                        new OutgoingMessage.PeerEntry("b", meta)))));
        assertEquals(q("{'type':'listConsumers','consumers':[]}"),
                codec.encode(new OutgoingMessage.ConsumerList(List.of())));
        assertEquals(q("{'type':'error','details':'Peer with \\'x\\' not found'}").replace("\\\"", "'"),
                codec.encode(new OutgoingMessage.ErrorMessage("Peer with 'x' not found")));
        assertEquals("{\"type\":\"error\",\"details\":\"cannot forward offer from \\\"c\\\"\"}",
                codec.encode(new OutgoingMessage.ErrorMessage("cannot forward offer from \"c\"")));
    }

    @Test
    void metaSurvivesARoundTrip() throws Exception {
        String text = q("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'é ✓','big':12345678901234567890,"
                + "'neg':-5,'f':0.1,'nested':{'a':[{}]},'s':'\\u0000'}}");
        IncomingMessage.SetPeerStatus s = (IncomingMessage.SetPeerStatus) codec.parse(text);
        String out = codec.encode(new OutgoingMessage.PeerStatusChanged(s.status().roles(), s.status().meta(), "p"));
        assertEquals(JSON.readTree(text).get("meta"), JSON.readTree(out).get("meta"));
        assertEquals("{}", codec.toJson(JsonNodeFactory.instance.objectNode()));
        assertNull(codec.toJson(null));
    }

    // ------------------------------------------------------------------------------------------
    // the client's side: what the device sends, and reading what servers send

    @Test
    void encodesEveryClientMessageAsTheReferenceClientsDo() throws Exception {
        assertEquals(q("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'cam'}}"),
                codec.encode(new IncomingMessage.SetPeerStatus(List.of(PeerRole.PRODUCER), tree("{'name':'cam'}"),
                        null)));
        assertEquals(q("{'type':'setPeerStatus','roles':['listener'],'meta':null}"),
                codec.encode(new IncomingMessage.SetPeerStatus(List.of(PeerRole.LISTENER), null, null)));
        assertEquals(q("{'type':'startSession','peerId':'p'}"), codec.encode(new IncomingMessage.StartSession("p", null)));
        assertEquals(q("{'type':'peer','sessionId':'s','sdp':{'type':'offer','sdp':'v=0'}}"),
                codec.encode(new IncomingMessage.Peer("s", new PeerPayload.Sdp(PeerPayload.SdpType.OFFER, "v=0"))));
        assertEquals(q("{'type':'peer','sessionId':'s','ice':{'candidate':'c','sdpMLineIndex':1}}"),
                codec.encode(new IncomingMessage.Peer("s", new PeerPayload.Ice("c", 1))));
        assertEquals(q("{'type':'endSession','sessionId':'s'}"), codec.encode(new IncomingMessage.EndSession("s")));
        assertEquals(q("{'type':'list'}"), codec.encode(new IncomingMessage.ListProducers()));
    }

    @Test
    void whatTheClientSendsTheServerReadsBack() throws Exception {
        for (IncomingMessage message : List.of(
                new IncomingMessage.SetPeerStatus(List.of(PeerRole.PRODUCER), tree("{'name':'cam'}"), null),
                new IncomingMessage.StartSession("p", "v=0"), new IncomingMessage.EndSessionV1_1("s", "gone"),
                new IncomingMessage.Peer("s", new PeerPayload.Ice("c", 4294967295L)),
                new IncomingMessage.ListConsumers(), new IncomingMessage.SetProtocolVersion(ProtocolVersion.V1_1))) {
            assertEquals(message, codec.parse(codec.encode(message)));
        }
    }

    @Test
    void readsWhatTheServerSends() throws Exception {
        JsonNode meta = tree("{'name':'cam'}");
        for (OutgoingMessage message : List.of(new OutgoingMessage.Welcome("p"),
                new OutgoingMessage.PeerStatusChanged(List.of(PeerRole.PRODUCER), meta, "p"),
                new OutgoingMessage.PeerStatusChanged(List.of(), null, "p"),
                new OutgoingMessage.StartSession("c", "s", null), new OutgoingMessage.SessionStarted("p", "s"),
                new OutgoingMessage.EndSession("s"), new OutgoingMessage.EndSessionV1_1("s", null),
                new OutgoingMessage.Peer("s", new PeerPayload.Sdp(PeerPayload.SdpType.ANSWER, "a")),
                new OutgoingMessage.ProducerList(List.of(new OutgoingMessage.PeerEntry("a", meta))),
                new OutgoingMessage.ConsumerList(List.of()), new OutgoingMessage.ErrorMessage("no"))) {
            assertEquals(message, codec.parseServerMessage(codec.encode(message)));
        }
        assertEquals(new OutgoingMessage.ProducerList(List.of(new OutgoingMessage.PeerEntry("a", null))),
                codec.parseServerMessage(q("{'type':'list','producers':[{'peerId':'a'}]}")),
                "older servers name the id peerId");
        assertThrows(MessageParseException.class, () -> codec.parseServerMessage(q("{'type':'hello'}")));
    }
}
