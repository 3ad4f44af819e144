package io.pistream.signalling.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pistream.api.security.Caller;
import io.pistream.api.security.Role;
import io.pistream.signalling.PeerInfo;
import io.pistream.signalling.SessionInfo;
import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.protocol.MessageParseException;

/**
 * The router alone, no web server: every rule, and the global order of what goes to whom.
 */
class SessionRouterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final MessageCodec codec = new MessageCodec();
    private int sessionCounter;
    private final Refusals refusals = new Refusals();
    private final SessionRouter router = new SessionRouter(codec, SignallingLimits.defaults(), refusals,
            () -> "s" + (++sessionCounter));
    /** Everything sent, to whom, in order. */
    private final List<Sent> log = new ArrayList<>();
    private final Map<String, FakeConnection> connections = new LinkedHashMap<>();

    private record Sent(String to, JsonNode message) {
    }

    private final class FakeConnection implements PeerConnection {
        final String id;
        boolean refuse;
        boolean closed;

        FakeConnection(String id) {
            this.id = id;
        }

        @Override
        public boolean send(String text) {
            if (refuse || closed) {
                return false;
            }
            try {
                log.add(new Sent(id, JSON.readTree(text)));
            } catch (Exception e) {
                throw new AssertionError(text, e);
            }
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:" + (1000 + id.length());
        }
    }

    // ------------------------------------------------------------------------------------------
    // helpers

    private static String q(String s) {
        return s.replace('\'', '"');
    }

    private static Sent sent(String to, String singleQuotedJson) {
        try {
            return new Sent(to, JSON.readTree(q(singleQuotedJson)));
        } catch (Exception e) {
            throw new IllegalArgumentException(singleQuotedJson, e);
        }
    }

    /** Peers of users named as their ids, with the roles viewer and talk. */
    private void connect(String... ids) {
        for (String id : ids) {
            connectAs(id, new Caller(id, EnumSet.of(Role.VIEWER, Role.TALK), "token"), false);
        }
    }

    private void connectAs(String id, Caller caller, boolean device) {
        FakeConnection c = new FakeConnection(id);
        connections.put(id, c);
        router.connect(id, c, new PeerIdentity(caller, device));
    }

    private void receive(String from, String singleQuotedJson) {
        try {
            router.handle(from, codec.parse(q(singleQuotedJson)));
        } catch (MessageParseException e) {
            throw new AssertionError(singleQuotedJson, e);
        }
    }

    /** Asserts what was sent since the last call, in order, and forgets it. */
    private void expect(Sent... expected) {
        assertEquals(List.of(expected), List.copyOf(log));
        log.clear();
    }

    private void register(String id, String roles) {
        receive(id, "{'type':'setPeerStatus','roles':" + roles + "}");
    }

    // ------------------------------------------------------------------------------------------

    @Test
    void welcomeGoesToTheNewPeerOnly() {
        connect("l");
        register("l", "['listener']");
        log.clear();
        connect("a");
        expect(sent("a", "{'type':'welcome','peerId':'a'}"));
        assertThrows(IllegalArgumentException.class, () -> router.connect("a", new FakeConnection("a"),
                new PeerIdentity(new Caller("a", Set.of(), "token"), false)));
    }

    @Test
    void statusGoesToEveryListenerIncludingTheSender() {
        connect("l1", "p", "l2");
        log.clear();
        register("l1", "['listener']");
        expect(sent("l1", "{'type':'peerStatusChanged','roles':['listener'],'meta':{'pistream-user':'l1'},'peerId':'l1'}"));
        receive("l2", "{'type':'setPeerStatus','roles':['producer','listener'],'meta':{'a':1}}");
        expect(sent("l1", "{'type':'peerStatusChanged','roles':['producer','listener'],'meta':{'a':1,'pistream-user':'l2'},'peerId':'l2'}"),
                sent("l2", "{'type':'peerStatusChanged','roles':['producer','listener'],'meta':{'a':1,'pistream-user':'l2'},'peerId':'l2'}"));
        register("p", "['producer']");
        expect(sent("l1", "{'type':'peerStatusChanged','roles':['producer'],'meta':{'pistream-user':'p'},'peerId':'p'}"),
                sent("l2", "{'type':'peerStatusChanged','roles':['producer'],'meta':{'pistream-user':'p'},'peerId':'p'}"));
    }

    @Test
    void anUnchangedStatusIsNotAnnounced() {
        connect("l", "p");
        register("l", "['listener']");
        log.clear();
        // a fresh peer's status is roles [], meta null, no peerId: sending exactly that changes nothing
        receive("p", "{'type':'setPeerStatus','roles':[]}");
        expect();
        receive("p", "{'type':'setPeerStatus','roles':[],'peerId':'p'}");
        expect(sent("l", "{'type':'peerStatusChanged','roles':[],'meta':{'pistream-user':'p'},'peerId':'p'}"));
        receive("p", "{'type':'setPeerStatus','roles':[],'meta':null,'peerId':'p'}");
        expect();
        // role order matters, as with Rust's Vec equality
        receive("l", "{'type':'setPeerStatus','roles':['listener'],'peerId':'l'}");
        expect();
        receive("l", "{'type':'setPeerStatus','roles':['listener','listener'],'peerId':'l'}");
        expect(sent("l", "{'type':'peerStatusChanged','roles':['listener','listener'],'meta':{'pistream-user':'l'},'peerId':'l'}"));
    }

    @Test
    void producerAndConsumerAtOnceIsAnError() {
        connect("l", "x");
        register("l", "['listener']");
        register("x", "['producer']");
        log.clear();
        register("x", "['consumer','producer']");
        expect(sent("x", "{'type':'error','details':'Cannot register peer x as both producer and passive consumer'}"));
        receive("x", "{'type':'list'}");
        expect(sent("x", "{'type':'list','producers':[{'id':'x','meta':{'pistream-user':'x'}}]}")); // unchanged
    }

    @Test
    void lists() {
        connect("p1", "c", "p2", "l");
        receive("p1", "{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'one'}}");
        register("c", "['consumer']");
        register("p2", "['listener','producer']");
        register("l", "['listener']");
        log.clear();
        receive("l", "{'type':'list'}");
        receive("l", "{'type':'listConsumers'}");
        expect(sent("l", "{'type':'list','producers':[{'id':'p1','meta':{'name':'one','pistream-user':'p1'}},{'id':'p2','meta':{'pistream-user':'p2'}}]}"),
                sent("l", "{'type':'listConsumers','consumers':[{'id':'c','meta':{'pistream-user':'c'}}]}"));
    }

    @Test
    void consumerInitiatedSession() {
        connect("p", "c");
        register("p", "['producer']");
        log.clear();
        receive("c", "{'type':'startSession','peerId':'p'}");
        expect(sent("c", "{'type':'sessionStarted','peerId':'p','sessionId':'s1'}"),
                sent("p", "{'type':'startSession','peerId':'c','sessionId':'s1','offer':null}"));
        receive("c", "{'type':'startSession','peerId':'p','offer':'v=0'}");
        expect(sent("c", "{'type':'sessionStarted','peerId':'p','sessionId':'s2'}"),
                sent("p", "{'type':'startSession','peerId':'c','sessionId':'s2','offer':'v=0'}"));
        assertEquals(List.of(new SessionInfo("s1", "p", "c"), new SessionInfo("s2", "p", "c")), router.sessionInfos());
    }

    @Test
    void producerInitiatedSession() {
        connect("c", "p");
        register("c", "['consumer']");
        log.clear();
        receive("p", "{'type':'startSession','peerId':'c'}"); // the producer needs no registered role, only talk
        expect(sent("c", "{'type':'sessionStarted','peerId':'p','sessionId':'s1'}"),
                sent("p", "{'type':'startSession','peerId':'c','sessionId':'s1','offer':null}"));
    }

    @Test
    void startSessionErrors() {
        connect("a", "b");
        register("a", "['listener']");
        log.clear();
        receive("a", "{'type':'startSession','peerId':'zz'}");
        expect(sent("a", "{'type':'error','details':'Peer with ID \\u0027zz\\u0027 not found'}"));
        receive("a", "{'type':'startSession','peerId':'b'}");
        expect(sent("a", "{'type':'error','details':'Missing a producer or a consumer: id a roles [Listener], id b roles []'}"));
        receive("b", "{'type':'setPeerStatus','roles':['listener','listener']}");
        log.clear();
        receive("b", "{'type':'startSession','peerId':'a'}");
        expect(sent("b", "{'type':'error','details':'Missing a producer or a consumer: id b roles [Listener, Listener], id a roles [Listener]'}"));
    }

    @Test
    void peerMessagesAreRelayedToTheOtherMember() {
        connect("p", "c", "x");
        register("p", "['producer']");
        receive("c", "{'type':'startSession','peerId':'p'}");
        log.clear();
        receive("p", "{'type':'peer','sessionId':'s1','sdp':{'type':'offer','sdp':'o'}}");
        receive("c", "{'type':'peer','sessionId':'s1','sdp':{'type':'answer','sdp':'a'}}");
        receive("c", "{'type':'peer','sessionId':'s1','ice':{'candidate':'c1','sdpMLineIndex':0,'sdpMid':'0'}}");
        receive("p", "{'type':'peer','sessionId':'s1','ice':{'candidate':'p1','sdpMLineIndex':1}}");
        receive("p", "{'type':'peer','sessionId':'s1','sdp':{'type':'answer','sdp':'either way'}}");
        expect(sent("c", "{'type':'peer','sessionId':'s1','sdp':{'type':'offer','sdp':'o'}}"),
                sent("p", "{'type':'peer','sessionId':'s1','sdp':{'type':'answer','sdp':'a'}}"),
                sent("p", "{'type':'peer','sessionId':'s1','ice':{'candidate':'c1','sdpMLineIndex':0}}"),
                sent("c", "{'type':'peer','sessionId':'s1','ice':{'candidate':'p1','sdpMLineIndex':1}}"),
                sent("c", "{'type':'peer','sessionId':'s1','sdp':{'type':'answer','sdp':'either way'}}"));

        receive("c", "{'type':'peer','sessionId':'s1','sdp':{'type':'offer','sdp':'o'}}");
        expect(sent("c", "{'type':'error','details':'cannot forward offer from \\\"c\\\" to \\\"p\\\" as \\\"c\\\" is not the producer'}"));
        receive("x", "{'type':'peer','sessionId':'s1','sdp':{'type':'answer','sdp':'a'}}");
        expect(sent("x", "{'type':'error','details':'Peer x is not part of s1'}"));
        receive("x", "{'type':'peer','sessionId':'nope','sdp':{'type':'answer','sdp':'a'}}");
        expect();
    }

    @Test
    void endSessionTellsOnlyTheOtherMember() {
        connect("p", "c", "x");
        register("p", "['producer']");
        receive("c", "{'type':'startSession','peerId':'p'}");
        receive("c", "{'type':'startSession','peerId':'p'}");
        receive("c", "{'type':'startSession','peerId':'p'}");
        log.clear();
        receive("c", "{'type':'endSession','sessionId':'s1'}");
        expect(sent("p", "{'type':'endSession','sessionId':'s1'}"));
        receive("p", "{'type':'endSession','sessionId':'s2'}");
        expect(sent("c", "{'type':'endSession','sessionId':'s2'}"));
        receive("p", "{'type':'endSession','sessionId':'s2'}");
        expect(); // unknown now: ignored
        // a non-member ends the session anyway (it is removed first) and is told off; nobody else hears
        receive("x", "{'type':'endSession','sessionId':'s3'}");
        expect(sent("x", "{'type':'error','details':'Peer x is not part of s3'}"));
        assertEquals(List.of(), router.sessionInfos());
    }

    @Test
    void removingAPeerEndsAllItsSessionsBeforeTellingListeners() {
        connect("l1", "p", "c1", "c2", "l2");
        register("l1", "['listener']");
        receive("p", "{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'cam'}}");
        register("l2", "['listener']");
        receive("c1", "{'type':'startSession','peerId':'p'}");
        receive("c2", "{'type':'startSession','peerId':'p'}");
        receive("l2", "{'type':'startSession','peerId':'p'}");
        log.clear();
        router.disconnect("p");
        expect(sent("c1", "{'type':'endSession','sessionId':'s1'}"),
                sent("c2", "{'type':'endSession','sessionId':'s2'}"),
                sent("l2", "{'type':'endSession','sessionId':'s3'}"),
                sent("l1", "{'type':'peerStatusChanged','roles':[],'meta':{'name':'cam','pistream-user':'p'},'peerId':'p'}"),
                sent("l2", "{'type':'peerStatusChanged','roles':[],'meta':{'name':'cam','pistream-user':'p'},'peerId':'p'}"));
        router.disconnect("p");
        expect();

        // a consumer leaving ends its sessions too
        connect("p2");
        register("p2", "['producer']");
        receive("c1", "{'type':'startSession','peerId':'p2'}");
        log.clear();
        router.disconnect("c1");
        expect(sent("p2", "{'type':'endSession','sessionId':'s4'}"),
                sent("l1", "{'type':'peerStatusChanged','roles':[],'meta':{'pistream-user':'c1'},'peerId':'c1'}"),
                sent("l2", "{'type':'peerStatusChanged','roles':[],'meta':{'pistream-user':'c1'},'peerId':'c1'}"));
    }

    @Test
    void unregisteringWithListeners() {
        connect("l", "p", "c");
        register("l", "['listener']");
        register("p", "['producer']");
        receive("c", "{'type':'startSession','peerId':'p'}");
        log.clear();
        register("p", "[]");
        expect(sent("c", "{'type':'endSession','sessionId':'s1'}"),
                sent("l", "{'type':'peerStatusChanged','roles':[],'meta':{'pistream-user':'p'},'peerId':'p'}"));
        // a passive consumer that stops being one loses its sessions as consumer
        register("c", "['consumer']");
        receive("p", "{'type':'startSession','peerId':'c'}");
        log.clear();
        register("c", "['listener']");
        expect(sent("p", "{'type':'endSession','sessionId':'s2'}"),
                sent("l", "{'type':'peerStatusChanged','roles':['listener'],'meta':{'pistream-user':'c'},'peerId':'c'}"),
                sent("c", "{'type':'peerStatusChanged','roles':['listener'],'meta':{'pistream-user':'c'},'peerId':'c'}"));
    }

    @Test
    void aSessionWithItself() {
        connect("p");
        register("p", "['producer']");
        log.clear();
        receive("p", "{'type':'startSession','peerId':'p'}");
        expect(sent("p", "{'type':'sessionStarted','peerId':'p','sessionId':'s1'}"),
                sent("p", "{'type':'startSession','peerId':'p','sessionId':'s1','offer':null}"));
        receive("p", "{'type':'peer','sessionId':'s1','sdp':{'type':'offer','sdp':'o'}}");
        expect(sent("p", "{'type':'error','details':'cannot forward offer from \\\"p\\\" to \\\"p\\\" as \\\"p\\\" is not the producer'}"));
        receive("p", "{'type':'peer','sessionId':'s1','ice':{'candidate':'c','sdpMLineIndex':0}}");
        expect(sent("p", "{'type':'peer','sessionId':'s1','ice':{'candidate':'c','sdpMLineIndex':0}}"));
        register("p", "[]");
        expect(sent("p", "{'type':'endSession','sessionId':'s1'}"));
    }

    // ------------------------------------------------------------------------------------------
    // who may do what, and the stamp

    private static final Caller VIEWER = new Caller("alice", EnumSet.of(Role.VIEWER), "session");
    private static final Caller TALKER = new Caller("bob", EnumSet.of(Role.TALK), "token");

    @Test
    void producingNeedsTalkAndConsumingNeedsViewer() {
        connect("l", "p");
        connectAs("v", VIEWER, false);
        connectAs("t", TALKER, false);
        register("l", "['listener']");
        register("p", "['producer']");
        log.clear();

        register("v", "['listener','producer']");
        expect(sent("v", "{'type':'error','details':'Peer v (user \\u0027alice\\u0027) may not register as producer:"
                + " it needs the role talk'}"));
        register("t", "['consumer']");
        expect(sent("t", "{'type':'error','details':'Peer t (user \\u0027bob\\u0027) may not register as consumer:"
                + " it needs the role viewer'}"));
        receive("t", "{'type':'startSession','peerId':'p'}");
        expect(sent("t", "{'type':'error','details':'Peer t (user \\u0027bob\\u0027) may not consume: it needs the"
                + " role viewer'}"));
        assertEquals(3, refusals.get(Refusals.Reason.ROLE));
        assertEquals(List.of(), router.sessionInfos());

        // what each may do
        receive("v", "{'type':'startSession','peerId':'p'}");
        expect(sent("v", "{'type':'sessionStarted','peerId':'p','sessionId':'s1'}"),
                sent("p", "{'type':'startSession','peerId':'v','sessionId':'s1','offer':null}"));
        register("v", "['consumer']");
        expect(sent("l", "{'type':'peerStatusChanged','roles':['consumer'],'meta':{'pistream-user':'alice'},"
                + "'peerId':'v'}"));
        // a viewer cannot push media to a passive consumer; a talker can
        connectAs("v2", VIEWER, false);
        log.clear();
        receive("v2", "{'type':'startSession','peerId':'v'}");
        expect(sent("v2", "{'type':'error','details':'Peer v2 (user \\u0027alice\\u0027) may not produce for a"
                + " consumer: it needs the role talk'}"));
        receive("t", "{'type':'startSession','peerId':'v'}");
        expect(sent("v", "{'type':'sessionStarted','peerId':'t','sessionId':'s2'}"),
                sent("t", "{'type':'startSession','peerId':'v','sessionId':'s2','offer':null}"));
        register("t", "['listener','producer']");
        assertEquals("peerStatusChanged", log.get(0).message().get("type").asText());
    }

    @Test
    void theDeviceMayProduceAndConsumeWhateverItsRoles() {
        connect("l");
        register("l", "['listener']");
        connectAs("d", new Caller("device", Set.of(), "token"), true);
        log.clear();
        receive("d", "{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'cam'}}");
        expect(sent("l", "{'type':'peerStatusChanged','roles':['producer'],'meta':{'name':'cam','pistream-user':"
                + "'device'},'peerId':'d'}"));
    }

    @Test
    void theAuthenticatedUserIsStampedOverWhatTheClientSent() {
        connect("l");
        register("l", "['listener']");
        connectAs("t", TALKER, false);
        log.clear();
        receive("t", "{'type':'setPeerStatus','roles':['producer'],'meta':{'pistream-user':'device','name':'x',"
                + "'pistream-user':'admin'}}");
        expect(sent("l", "{'type':'peerStatusChanged','roles':['producer'],'meta':{'name':'x','pistream-user':'bob'},"
                + "'peerId':'t'}"));
        receive("l", "{'type':'list'}");
        expect(sent("l", "{'type':'list','producers':[{'id':'t','meta':{'name':'x','pistream-user':'bob'}}]}"));
        // the stored status is the stamped one: sending the same again changes nothing
        receive("t", "{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'x','pistream-user':'bob'},"
                + "'peerId':'t'}");
        expect();
        // gone: announced with the stamped meta
        router.disconnect("t");
        expect(sent("l", "{'type':'peerStatusChanged','roles':[],'meta':{'name':'x','pistream-user':'bob'},"
                + "'peerId':'t'}"));
    }

    @Test
    void metaMustBeAnObjectOfBoundedSize() {
        connect("l", "p");
        register("l", "['listener']");
        log.clear();
        for (String meta : List.of("'cam'", "[1,2]", "7", "true")) {
            receive("p", "{'type':'setPeerStatus','roles':['producer'],'meta':" + meta + "}");
            expect(sent("p", "{'type':'error','details':'The meta of peer p must be a JSON object or null, to carry"
                    + " the field \\\"pistream-user\\\" the server adds'}"));
        }
        int limit = SignallingLimits.DEFAULT_MAX_META_BYTES;
        String fits = "{'n':'" + "x".repeat(limit - 8) + "'}"; // {"n":"…"} is 8 bytes besides the x's
        receive("p", "{'type':'setPeerStatus','roles':['producer'],'meta':" + fits + "}");
        assertEquals("peerStatusChanged", log.get(0).message().get("type").asText());
        log.clear();
        // counted in UTF-8 bytes: two for each é, 2 more than the limit
        String tooLarge = "{'n':'" + "é".repeat((limit - 8) / 2 + 1) + "'}";
        receive("p", "{'type':'setPeerStatus','roles':['producer'],'meta':" + tooLarge + "}");
        expect(sent("p", "{'type':'error','details':'The meta of peer p has " + (limit + 2) + " bytes, more than the "
                + limit + " allowed'}"));
        assertEquals(5, refusals.get(Refusals.Reason.META));
    }

    @Test
    void aPeerMayHaveOnlySoManySessionsItStarted() {
        int max = SignallingLimits.DEFAULT_MAX_SESSIONS_PER_PEER;
        connect("p", "c", "c2");
        register("p", "['producer']");
        for (int i = 0; i < max; i++) {
            receive("c", "{'type':'startSession','peerId':'p'}");
        }
        log.clear();
        receive("c", "{'type':'startSession','peerId':'p'}");
        expect(sent("c", "{'type':'error','details':'Peer c (user \\u0027c\\u0027) has " + max
                + " open sessions it started, the most allowed: end one first'}"));
        assertEquals(1, refusals.get(Refusals.Reason.SESSIONS));
        // ending one makes room, whoever ends it
        receive("p", "{'type':'endSession','sessionId':'s1'}");
        receive("c", "{'type':'startSession','peerId':'p'}");
        assertEquals(max, router.sessionCount());
        // the producer is in all of them without having started one: others still reach it
        receive("c2", "{'type':'startSession','peerId':'p'}");
        assertEquals(max + 1, router.sessionCount());

        // the device's own peers are not limited (the receiver asks each talking browser)
        connectAs("d", new Caller("device", EnumSet.of(Role.VIEWER, Role.TALK), "token"), true);
        for (int i = 0; i < max + 2; i++) {
            receive("d", "{'type':'startSession','peerId':'p'}");
        }
        assertEquals(2 * max + 3, router.sessionCount());
        assertEquals(1, refusals.get(Refusals.Reason.SESSIONS));
    }

    // ------------------------------------------------------------------------------------------
    // protocol 1.1

    @Test
    void protocolVersion() {
        connect("new", "old", "late");
        receive("new", "{'type':'setProtocolVersion','version':'v1_1'}");
        register("new", "['producer']");
        receive("old", "{'type':'startSession','peerId':'new'}");
        log.clear();

        receive("old", "{'type':'endSession','sessionId':'s1'}");
        expect(sent("new", "{'type':'endSessionV1_1','sessionId':'s1','error':null}"));

        receive("old", "{'type':'startSession','peerId':'new'}");
        log.clear();
        receive("new", "{'type':'endSessionV1_1','sessionId':'s2','error':'ICE failed'}");
        expect(sent("old", "{'type':'endSession','sessionId':'s2'}"));

        receive("old", "{'type':'startSession','peerId':'new'}");
        log.clear();
        receive("old", "{'type':'endSessionV1_1','sessionId':'s3','error':'oops'}");
        expect(sent("old", "{'type':'error','details':'Invalid end session message with error from peer \\u0027old\\u0027, minimum protocol version is 1.1'}"));
        assertEquals(List.of(), router.sessionInfos());

        receive("late", "{'type':'setProtocolVersion','version':'v1_1'}");
        receive("late", "{'type':'setProtocolVersion','version':'v1_1'}");
        expect(sent("late", "{'type':'error','details':'Protocol version selection for peer \\u0027late\\u0027 must be first message'}"));
        // a failed message counts as a message too
        connect("failing");
        log.clear();
        receive("failing", "{'type':'startSession','peerId':'nobody'}");
        receive("failing", "{'type':'setProtocolVersion','version':'v1_1'}");
        assertEquals(2, log.size());
        assertTrue(log.get(1).message().get("details").asText().endsWith("must be first message"));
        log.clear();

        // a v1.1 consumer whose producer leaves gets endSessionV1_1
        receive("late", "{'type':'startSession','peerId':'new'}");
        log.clear();
        router.disconnect("new");
        expect(sent("late", "{'type':'endSessionV1_1','sessionId':'s4','error':null}"));
        assertEquals("v1_1", router.peerInfos().stream().filter(p -> p.id().equals("late")).findFirst()
                .orElseThrow().protocolVersion());
    }

    // ------------------------------------------------------------------------------------------
    // connections that fail

    @Test
    void aPeerWhoseConnectionRefusesAFrameIsRemovedAsOnDisconnect() {
        connect("l1", "l2", "p", "c");
        register("l1", "['listener']");
        register("l2", "['listener']");
        register("p", "['producer']");
        receive("c", "{'type':'startSession','peerId':'p'}");
        receive("l2", "{'type':'startSession','peerId':'p'}");
        log.clear();

        connections.get("l2").refuse = true; // its send queue overflows on the next frame
        register("c", "['listener']");
        // the broadcast goes on to everyone; then l2 is removed: its session ends, the listeners are told
        expect(sent("l1", "{'type':'peerStatusChanged','roles':['listener'],'meta':{'pistream-user':'c'},'peerId':'c'}"),
                sent("c", "{'type':'peerStatusChanged','roles':['listener'],'meta':{'pistream-user':'c'},'peerId':'c'}"),
                sent("p", "{'type':'endSession','sessionId':'s2'}"),
                sent("l1", "{'type':'peerStatusChanged','roles':[],'meta':{'pistream-user':'l2'},'peerId':'l2'}"),
                sent("c", "{'type':'peerStatusChanged','roles':[],'meta':{'pistream-user':'l2'},'peerId':'l2'}"));
        assertEquals(List.of("l1", "p", "c"), router.peerInfos().stream().map(PeerInfo::id).toList());

        // messages from a removed peer are ignored
        receive("l2", "{'type':'list'}");
        expect();
    }

    @Test
    void closeAllClosesEveryConnection() {
        connect("a", "b");
        router.closeAll();
        assertTrue(connections.get("a").closed && connections.get("b").closed);
        assertEquals(0, router.peerCount());
    }

    @Test
    void snapshot() {
        connect("p", "c", "x");
        receive("p", "{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'cam'}}");
        receive("c", "{'type':'startSession','peerId':'p'}");
        receive("x", "{'type':'setProtocolVersion','version':'v1_1'}");
        List<PeerInfo> peers = router.peerInfos();
        assertEquals(new PeerInfo("p", List.of("producer"), "{\"name\":\"cam\",\"pistream-user\":\"p\"}", "v1_0",
                List.of(new SessionInfo("s1", "p", "c")), "127.0.0.1:1001"), peers.get(0));
        assertEquals(new PeerInfo("c", List.of(), "{\"pistream-user\":\"c\"}", "v1_0",
                List.of(new SessionInfo("s1", "p", "c")),
                "127.0.0.1:1001"), peers.get(1));
        assertEquals(new PeerInfo("x", List.of(), "{\"pistream-user\":\"x\"}", "v1_1", List.of(), "127.0.0.1:1001"),
                peers.get(2));
        assertEquals(1, router.sessionCount());
    }
}
