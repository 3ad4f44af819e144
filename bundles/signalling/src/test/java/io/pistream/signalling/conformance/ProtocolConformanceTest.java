package io.pistream.signalling.conformance;

import static io.pistream.signalling.conformance.TestClient.q;
import static io.pistream.signalling.conformance.TestClient.stamped;
import static io.pistream.signalling.conformance.TestClient.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.pistream.signalling.testing.TestAccessControl;

/**
 * Every flow of the signalling protocol, driven through the real servlet by real WebSocket clients,
 * checking exact JSON shapes and, where one socket can show it, message order.
 */
class ProtocolConformanceTest extends ServerFixture {

    private static final String SDP_OFFER = "v=0\\r\\no=- 1 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n";

    // ------------------------------------------------------------------------------------------
    // welcome, setPeerStatus

    @Test
    void welcomeCarriesAFreshUuidAndNobodyElseIsTold() {
        TestClient listener = listener();
        TestClient a = track(TestClient.open(HttpClient.newHttpClient(), server.ws("/signalling"),
                TestClient.bearer(TestAccessControl.TALK_TOKEN)));
        String welcome = a.nextText();
        JsonNode tree = tree(welcome);
        assertEquals(2, tree.size(), welcome);
        assertEquals("welcome", tree.get("type").asText());
        assertTrue(UUID_V4.matcher(tree.get("peerId").asText()).matches(), welcome);

        TestClient b = connect();
        assertNotEquals(tree.get("peerId").asText(), b.id(), "peer ids are unique");
        listener.expectNothing();
    }

    @Test
    void setPeerStatusIsEchoedToEveryListenerIncludingTheSender() {
        TestClient l1 = listener();
        TestClient l2 = connect();
        l2.sendQ("{'type':'setPeerStatus','roles':['listener'],'meta':{'name':'l2'}}");
        String echo = q("{'type':'peerStatusChanged','roles':['listener'],'meta':" + stamped("{'name':'l2'}") + ",'peerId':'" + l2.id() + "'}");
        l1.expect(echo);
        l2.expect(echo);

        TestClient producer = connect();
        producer.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'cam'}}");
        String registered = q("{'type':'peerStatusChanged','roles':['producer'],'meta':" + stamped("{'name':'cam'}") + ",'peerId':'"
                + producer.id() + "'}");
        l1.expect(registered);
        l2.expect(registered);
        producer.expectNothing(); // not a listener: no echo

        // a browser producer is listener and producer: it sees its own registration
        TestClient browser = connect();
        browser.sendQ("{'type':'setPeerStatus','roles':['listener','producer'],'meta':{'name':'WebClient-1'}}");
        String both = q("{'type':'peerStatusChanged','roles':['listener','producer'],'meta':" + stamped("{'name':'WebClient-1'}") + ","
                + "'peerId':'" + browser.id() + "'}");
        l1.expect(both);
        l2.expect(both);
        browser.expect(both);
    }

    @Test
    void noMetaBecomesTheStampAndPeerIdIsIgnoredOnInput() {
        TestClient listener = listener();
        TestClient producer = connect();
        // a peerId naming someone else is overwritten with the connection's own id; with no meta (null upstream)
        // the relayed meta holds only the user the server stamps in
        producer.sendQ("{'type':'setPeerStatus','roles':['producer'],'peerId':'someone-else'}");
        String text = listener.nextText();
        assertEquals(tree(q("{'type':'peerStatusChanged','roles':['producer'],'meta':{'pistream-user':'tester'},"
                + "'peerId':'" + producer.id() + "'}")), tree(text));
    }

    @Test
    void unchangedStatusIsNotBroadcastButAResendWithoutPeerIdIs() {
        TestClient listener = listener();
        TestClient producer = connect();
        String register = "{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'cam'}}";
        String changed = "{'type':'peerStatusChanged','roles':['producer'],'meta':" + stamped("{'name':'cam'}") + ",'peerId':'"
                + producer.id() + "'}";
        producer.sendQ(register);
        listener.expectQ(changed);

        // webrtcsink sends its own peerId: the stored status has it, so this equals it and changes nothing
        producer.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':{'name':'cam'},'peerId':'"
                + producer.id() + "'}");
        producer.expectNothing();
        listener.expectNothing();

        // without peerId the status differs from the stored one (which has it): broadcast again
        producer.sendQ(register);
        listener.expectQ(changed);

        // a listener-only change is echoed too
        listener.sendQ("{'type':'setPeerStatus','roles':['listener'],'meta':{'v':2}}");
        listener.expectQ("{'type':'peerStatusChanged','roles':['listener'],'meta':" + stamped("{'v':2}") + ",'peerId':'" + listener.id()
                + "'}");
    }

    @Test
    void producerAndConsumerTogetherAreRefused() {
        TestClient listener = listener();
        TestClient peer = connect();
        peer.sendQ("{'type':'setPeerStatus','roles':['producer','consumer']}");
        peer.expectError("Cannot register peer " + peer.id() + " as both producer and passive consumer");
        listener.expectNothing();
        peer.sendQ("{'type':'list'}");
        peer.expectQ("{'type':'list','producers':[]}");
    }

    // ------------------------------------------------------------------------------------------
    // list, listConsumers

    @Test
    void listAndListConsumers() {
        TestClient asker = connect();
        asker.sendQ("{'type':'list'}");
        asker.expectQ("{'type':'list','producers':[]}");
        asker.sendQ("{'type':'listConsumers'}");
        asker.expectQ("{'type':'listConsumers','consumers':[]}");

        TestClient p1 = registered("['producer']", "{'name':'cam'}");
        TestClient p2 = registered("['producer','listener']", "null");
        TestClient c = registered("['consumer']", "{'name':'sink'}");
        registered("['listener']", "null");

        asker.sendQ("{'type':'list'}");
        JsonNode list = asker.next();
        assertEquals("list", list.get("type").asText());
        assertEquals(2, list.size(), list.toString());
        Set<JsonNode> producers = new HashSet<>();
        list.get("producers").forEach(producers::add);
        assertEquals(Set.of(tree(q("{'id':'" + p1.id() + "','meta':" + stamped("{'name':'cam'}") + "}")),
                tree(q("{'id':'" + p2.id() + "','meta':" + stamped("null") + "}"))), producers);

        asker.sendQ("{'type':'listConsumers'}");
        asker.expectQ("{'type':'listConsumers','consumers':[{'id':'" + c.id() + "','meta':" + stamped("{'name':'sink'}") + "}]}");

        // the requester is listed too when it is a producer
        p1.sendQ("{'type':'list','extra':'ignored'}");
        JsonNode own = p1.next();
        assertEquals(2, own.get("producers").size());
    }

    // ------------------------------------------------------------------------------------------
    // sessions

    @Test
    void consumerInitiatedSessionAndRelay() {
        TestClient producer = registered("['producer']", "{'name':'cam'}");
        TestClient consumer = connect(); // webrtcsrc with producer-peer-id registers with no role
        consumer.sendQ("{'type':'setPeerStatus','roles':[],'peerId':'" + consumer.id() + "'}");
        String session = startSession(consumer, producer, producer, consumer, null);

        producer.sendQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'offer','sdp':'" + SDP_OFFER + "'}}");
        consumer.expectQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'offer','sdp':'" + SDP_OFFER + "'}}");
        consumer.sendQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer','sdp':'v=0 answer'}}");
        producer.expectQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer','sdp':'v=0 answer'}}");

        // ICE both ways; browser extras are not forwarded; an empty candidate is allowed
        producer.sendQ("{'type':'peer','sessionId':'" + session
                + "','ice':{'candidate':'candidate:1 1 UDP 2015363327 192.168.1.5 40002 typ host','sdpMLineIndex':0}}");
        consumer.expectQ("{'type':'peer','sessionId':'" + session
                + "','ice':{'candidate':'candidate:1 1 UDP 2015363327 192.168.1.5 40002 typ host','sdpMLineIndex':0}}");
        consumer.sendQ("{'type':'peer','sessionId':'" + session
                + "','ice':{'candidate':'candidate:2','sdpMid':'0','usernameFragment':'abc','sdpMLineIndex':1}}");
        producer.expectQ("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'candidate:2','sdpMLineIndex':1}}");
        consumer.sendQ("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'','sdpMLineIndex':4294967295}}");
        producer.expectQ("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'','sdpMLineIndex':4294967295}}");
    }

    @Test
    void sessionStartedComesBeforeStartSession() {
        // one socket that is both consumer and producer of a session shows the order of the two messages
        TestClient producer = registered("['producer']", "null");
        producer.sendQ("{'type':'startSession','peerId':'" + producer.id() + "'}");
        JsonNode first = producer.next();
        String session = first.path("sessionId").asText();
        assertEquals(tree(q("{'type':'sessionStarted','peerId':'" + producer.id() + "','sessionId':'" + session + "'}")),
                first);
        producer.expectQ("{'type':'startSession','peerId':'" + producer.id() + "','sessionId':'" + session
                + "','offer':null}");
    }

    @Test
    void offerInStartSessionIsPassedVerbatim() {
        TestClient producer = registered("['producer']", "null");
        TestClient consumer = listener();
        consumer.expectNothing();
        String session = startSession(consumer, producer, producer, consumer, "'" + SDP_OFFER + "'");
        consumer.sendQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer','sdp':'ans'}}");
        producer.expectQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer','sdp':'ans'}}");
    }

    @Test
    void producerInitiatedSession() {
        TestClient listener = listener();
        TestClient consumer = registered("['consumer']", "{'name':'passive'}", listener);
        TestClient producer = connect();
        producer.sendQ("{'type':'listConsumers'}");
        producer.expectQ("{'type':'listConsumers','consumers':[{'id':'" + consumer.id() + "','meta':" + stamped("{'name':'passive'}") + "}]}");
        String session = startSession(producer, consumer, producer, consumer, null);

        producer.sendQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'offer','sdp':'o'}}");
        consumer.expectQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'offer','sdp':'o'}}");
        listener.expectNothing();
    }

    @Test
    void aConsumerMayOpenSeveralSessionsToOneProducer() {
        TestClient producer = registered("['producer']", "null");
        TestClient consumer = connect();
        String s1 = startSession(consumer, producer, producer, consumer, null);
        String s2 = startSession(consumer, producer, producer, consumer, null);
        assertNotEquals(s1, s2);
    }

    @Test
    void endSessionNotifiesOnlyTheOtherMember() {
        TestClient producer = registered("['producer']", "null");
        TestClient consumer = connect();
        TestClient listener = listener();
        String s1 = startSession(consumer, producer, producer, consumer, null);
        consumer.sendQ("{'type':'endSession','sessionId':'" + s1 + "'}");
        producer.expectQ("{'type':'endSession','sessionId':'" + s1 + "'}");
        consumer.expectNothing();
        listener.expectNothing();

        String s2 = startSession(consumer, producer, producer, consumer, null);
        producer.sendQ("{'type':'endSession','sessionId':'" + s2 + "'}");
        consumer.expectQ("{'type':'endSession','sessionId':'" + s2 + "'}");
        producer.expectNothing();

        // the session is gone: relaying to it is silently ignored
        producer.sendQ("{'type':'peer','sessionId':'" + s2 + "','sdp':{'type':'offer','sdp':'o'}}");
        producer.expectNothing();
        consumer.expectNothing();
    }

    @Test
    void disconnectSendsEndSessionBeforePeerStatusChangedWithRolesEmpty() {
        TestClient listener = listener();
        TestClient producer = registered("['producer']", "{'name':'cam'}", listener);
        TestClient consumer = connect();
        String s1 = startSession(consumer, producer, producer, consumer, null);
        // the listener consumes too, so its socket shows the order
        String s2 = startSession(listener, producer, producer, listener, null);

        producer.close();
        consumer.expectQ("{'type':'endSession','sessionId':'" + s1 + "'}");
        listener.expectQ("{'type':'endSession','sessionId':'" + s2 + "'}");
        listener.expectQ("{'type':'peerStatusChanged','roles':[],'meta':" + stamped("{'name':'cam'}") + ",'peerId':'" + producer.id() + "'}");
        listener.expectNothing();
        consumer.expectNothing();
    }

    @Test
    void disconnectOfAnUnregisteredPeerIsAlsoAnnounced() {
        TestClient listener = listener();
        TestClient quiet = connect();
        quiet.abort();
        listener.expectQ("{'type':'peerStatusChanged','roles':[],'meta':" + stamped("null") + ",'peerId':'" + quiet.id() + "'}");
    }

    @Test
    void consumerDisconnectEndsItsSessions() {
        TestClient listener = listener();
        TestClient producer = registered("['producer']", "null", listener);
        TestClient consumer = connect();
        String session = startSession(consumer, producer, producer, consumer, null);
        consumer.abort(); // no close handshake
        producer.expectQ("{'type':'endSession','sessionId':'" + session + "'}");
        listener.expectQ("{'type':'peerStatusChanged','roles':[],'meta':" + stamped("null") + ",'peerId':'" + consumer.id() + "'}");
        producer.expectNothing();
    }

    @Test
    void unregisteringAProducerEndsItsSessionsFirst() {
        TestClient listener = listener();
        TestClient producer = registered("['producer']", "{'n':1}", listener);
        String session = startSession(listener, producer, producer, listener, null);
        producer.sendQ("{'type':'setPeerStatus','roles':[],'meta':{'n':1}}");
        listener.expectQ("{'type':'endSession','sessionId':'" + session + "'}");
        listener.expectQ("{'type':'peerStatusChanged','roles':[],'meta':" + stamped("{'n':1}") + ",'peerId':'" + producer.id() + "'}");
        producer.expectNothing();
    }

    @Test
    void aPassiveConsumerThatStopsConsumingEndsItsSessions() {
        TestClient consumer = registered("['consumer']", "null");
        TestClient producer = connect();
        String session = startSession(producer, consumer, producer, consumer, null);
        consumer.sendQ("{'type':'setPeerStatus','roles':['listener']}");
        producer.expectQ("{'type':'endSession','sessionId':'" + session + "'}");
        consumer.expectQ("{'type':'peerStatusChanged','roles':['listener'],'meta':" + stamped("null") + ",'peerId':'" + consumer.id() + "'}");
    }

    // ------------------------------------------------------------------------------------------
    // protocol 1.1

    @Test
    void protocolV11EndSessionFlows() {
        TestClient producer = connect(); // webrtcsink >= 1.29.2: setProtocolVersion first
        producer.sendQ("{'type':'setProtocolVersion','version':'v1_1'}");
        producer.sendQ("{'type':'setPeerStatus','roles':['producer'],'meta':null,'peerId':'" + producer.id() + "'}");
        producer.expectNothing(); // no reply to either

        TestClient oldConsumer = connect(); // v1.0
        String s1 = startSession(oldConsumer, producer, producer, oldConsumer, null);
        producer.sendQ("{'type':'endSessionV1_1','sessionId':'" + s1 + "','error':'ICE failed'}");
        oldConsumer.expectQ("{'type':'endSession','sessionId':'" + s1 + "'}"); // never endSessionV1_1 to v1.0

        TestClient newConsumer = connect();
        newConsumer.sendQ("{'type':'setProtocolVersion','version':'v1_1'}");
        String s2 = startSession(newConsumer, producer, producer, newConsumer, null);
        producer.sendQ("{'type':'endSessionV1_1','sessionId':'" + s2 + "','error':'Pipeline error'}");
        newConsumer.expectQ("{'type':'endSessionV1_1','sessionId':'" + s2 + "','error':'Pipeline error'}");

        String s3 = startSession(newConsumer, producer, producer, newConsumer, null);
        oldConsumer.expectNothing();
        // a plain endSession reaches a v1.1 peer as endSessionV1_1 with error null
        String s4 = startSession(oldConsumer, producer, producer, oldConsumer, null);
        oldConsumer.sendQ("{'type':'endSession','sessionId':'" + s4 + "'}");
        producer.expectQ("{'type':'endSessionV1_1','sessionId':'" + s4 + "','error':null}");

        // the v1.1 producer leaves: its v1.1 consumer gets endSessionV1_1, error null
        producer.abort();
        newConsumer.expectQ("{'type':'endSessionV1_1','sessionId':'" + s3 + "','error':null}");
    }

    @Test
    void protocolVersionMustBeTheFirstMessage() {
        TestClient peer = connect();
        peer.sendQ("{'type':'list'}");
        peer.next();
        peer.sendQ("{'type':'setProtocolVersion','version':'v1_1'}");
        peer.expectError("Protocol version selection for peer '" + peer.id() + "' must be first message");

        TestClient twice = connect();
        twice.sendQ("{'type':'setProtocolVersion','version':'v1_0'}");
        twice.sendQ("{'type':'setProtocolVersion','version':'v1_1'}");
        twice.expectError("Protocol version selection for peer '" + twice.id() + "' must be first message");
    }

    @Test
    void aV10PeerCannotEndWithAnError() {
        TestClient producer = registered("['producer']", "null");
        TestClient consumer = connect();
        String session = startSession(consumer, producer, producer, consumer, null);
        consumer.sendQ("{'type':'endSessionV1_1','sessionId':'" + session + "','error':'boom'}");
        consumer.expectError("Invalid end session message with error from peer '" + consumer.id()
                + "', minimum protocol version is 1.1");
        producer.expectNothing(); // the session is gone all the same, and nobody is told

        String other = startSession(consumer, producer, producer, consumer, null);
        consumer.sendQ("{'type':'endSessionV1_1','sessionId':'" + other + "','error':null}");
        producer.expectQ("{'type':'endSession','sessionId':'" + other + "'}");
    }

    // ------------------------------------------------------------------------------------------
    // error texts

    @Test
    void startSessionErrors() {
        TestClient listener = listener();
        TestClient plain = connect();
        listener.sendQ("{'type':'startSession','peerId':'nobody'}");
        listener.expectError("Peer with ID 'nobody' not found");
        listener.sendQ("{'type':'startSession','peerId':'" + plain.id() + "'}");
        listener.expectError("Missing a producer or a consumer: id " + listener.id() + " roles [Listener], id "
                + plain.id() + " roles []");
        plain.expectNothing();

        TestClient browser = connect();
        browser.sendQ("{'type':'setPeerStatus','roles':['listener','producer']}");
        browser.next();
        listener.next();
        browser.sendQ("{'type':'startSession','peerId':'" + listener.id() + "'}");
        browser.expectError("Missing a producer or a consumer: id " + browser.id() + " roles [Listener, Producer], id "
                + listener.id() + " roles [Listener]");
    }

    @Test
    void peerMessageErrors() {
        TestClient producer = registered("['producer']", "null");
        TestClient consumer = connect();
        TestClient stranger = connect();
        String session = startSession(consumer, producer, producer, consumer, null);

        consumer.sendQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'offer','sdp':'o'}}");
        consumer.expectError("cannot forward offer from \"" + consumer.id() + "\" to \"" + producer.id() + "\" as \""
                + consumer.id() + "\" is not the producer");
        producer.expectNothing();

        stranger.sendQ("{'type':'peer','sessionId':'" + session + "','ice':{'candidate':'c','sdpMLineIndex':0}}");
        stranger.expectError("Peer " + stranger.id() + " is not part of " + session);
        producer.expectNothing();
        consumer.expectNothing();

        // the session still works
        consumer.sendQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer','sdp':'a'}}");
        producer.expectQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer','sdp':'a'}}");
    }

    @Test
    void endSessionByANonMemberEndsItSilentlyForTheMembers() {
        TestClient producer = registered("['producer']", "null");
        TestClient consumer = connect();
        TestClient stranger = connect();
        String session = startSession(consumer, producer, producer, consumer, null);
        stranger.sendQ("{'type':'endSession','sessionId':'" + session + "'}");
        stranger.expectError("Peer " + stranger.id() + " is not part of " + session);
        producer.expectNothing();
        consumer.expectNothing();
        // as in the reference server, the session no longer exists
        consumer.sendQ("{'type':'peer','sessionId':'" + session + "','sdp':{'type':'answer','sdp':'a'}}");
        producer.expectNothing();
    }

    @Test
    void strayMessagesForUnknownSessionsAreIgnored() {
        TestClient peer = connect();
        peer.sendQ("{'type':'peer','sessionId':'unknown','sdp':{'type':'answer','sdp':'a'}}");
        peer.sendQ("{'type':'endSession','sessionId':'unknown'}");
        peer.sendQ("{'type':'endSessionV1_1','sessionId':'unknown','error':'x'}");
        peer.expectNothing();
    }
}
