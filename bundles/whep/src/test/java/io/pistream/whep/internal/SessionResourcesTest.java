package io.pistream.whep.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.internal.door.DoorRefusal;
import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.door.HttpSessions;
import io.pistream.webrtc.internal.door.IceServer;
import io.pistream.webrtc.internal.session.WebRtcSession;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP state machine of the doors over real HTTP, with a producer that answers at once (no media: the end-to-end
 * test has the real one): statuses, headers and reasons for every path a client can take.
 */
class SessionResourcesTest {

    private static final String ANSWER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";

    /** Opens sessions that answer at once; or refuses as told. */
    private static final class Answering implements HttpSessions {
        final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
        final List<String> peers = new ArrayList<>();
        RuntimeException refusal;
        boolean answer = true;
        /** The one source a producer knows; a receiver takes any name. */
        final String source;

        Answering(String source) {
            this.source = source;
        }

        @Override
        public DoorSession open(String source, String peer, String offer) {
            if (refusal != null) {
                throw refusal;
            }
            if (this.source != null && !this.source.equals(source)) {
                throw new DoorRefusal(DoorRefusal.Kind.UNKNOWN_SOURCE, "no source '" + source + "'");
            }
            peers.add(peer);
            DoorSession session = new DoorSession(UUID.randomUUID().toString(), control, new WebRtcSession.Owner() {
                @Override
                public void sendSdp(String sessionId, String type, String sdp) {
                }

                @Override
                public void sendIce(String sessionId, int mlineIndex, String candidate) {
                }

                @Override
                public void sendEndSession(String sessionId) {
                }

                @Override
                public void ended(WebRtcSession session) {
                }
            }, 1000, true);
            if (answer) {
                session.answer().complete(ANSWER);
            } else {
                session.answer().completeExceptionally(new IllegalStateException("webrtcbin refused the offer"));
            }
            return session;
        }

        @Override
        public List<IceServer> iceServers() {
            return List.of(new IceServer("stun:stun.example:3478", "", ""),
                    new IceServer("turn:turn.example:3478?transport=udp", "pi", "s3cret"));
        }
    }

    private final Answering producer = new Answering("camera");
    private final Answering receiver = new Answering(null);
    private TestDoor door;

    @BeforeEach
    void start() throws Exception {
        door = new TestDoor().start();
        door.whep.bindProducer(producer);
        door.whip.bindReceiver(receiver);
    }

    @AfterEach
    void stop() throws Exception {
        door.close();
        producer.control.shutdownNow();
        receiver.control.shutdownNow();
    }

    private static void assertStatus(int status, HttpResponse<String> response, String reasonPart) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().startsWith("{\"error\":") && response.body().contains(reasonPart),
                response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    @Test
    void postAnswers201WithLocationAndDeleteEndsItOnce() throws Exception {
        HttpResponse<String> created = door.post("/whep/camera", TestAccessControl.VIEWER_TOKEN, Offers.playback());
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(ANSWER, created.body());
        assertTrue(created.headers().firstValue("Content-Type").orElse("").startsWith("application/sdp"));
        String location = created.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches("/whep/camera/[0-9a-f-]{36}"), location);
        assertTrue(created.headers().firstValue("ETag").isPresent());
        assertEquals("application/trickle-ice-sdpfrag", created.headers().firstValue("Accept-Patch").orElseThrow());
        assertTrue(producer.peers.get(0).startsWith("whep:alice@127.0.0.1"), producer.peers.toString());
        assertEquals(List.of("<stun:stun.example:3478>; rel=\"ice-server\"",
                "<turn:turn.example:3478?transport=udp>; rel=\"ice-server\"; username=\"pi\"; credential=\"s3cret\"; "
                        + "credential-type=\"password\""), created.headers().allValues("Link"));

        assertEquals(200, door.send("DELETE", location, TestAccessControl.VIEWER_TOKEN, null, null).statusCode());
        assertStatus(404, door.send("DELETE", location, TestAccessControl.VIEWER_TOKEN, null, null), "no session");
        assertEquals(0, door.whep.resourceCount());
    }

    @Test
    void rolesAreChecked() throws Exception {
        assertStatus(401, door.post("/whep/camera", null, Offers.playback()), "token");
        assertStatus(403, door.post("/whep/camera", TestAccessControl.TALK_ONLY_TOKEN, Offers.playback()),
                "role viewer");
        assertStatus(403, door.post("/whip/studio", TestAccessControl.VIEWER_TOKEN, Offers.ingest()), "role talk");
        assertEquals(201, door.post("/whip/studio", TestAccessControl.TALK_ONLY_TOKEN, Offers.ingest()).statusCode());
        assertTrue(receiver.peers.get(0).startsWith("whip:bob@"), receiver.peers.toString());

        String location = door.post("/whep/camera", TestAccessControl.VIEWER_TOKEN, Offers.playback()).headers()
                .firstValue("Location").orElseThrow();
        assertStatus(403, door.send("DELETE", location, TestAccessControl.TALK_TOKEN, null, null), "another user");
        assertStatus(401, door.send("DELETE", location, "a-token-nobody-issued", null, null), "token");
        assertEquals(1, door.whep.resourceCount(), "nothing was deleted by the others");
    }

    @Test
    void badInputGetsItsStatusAndDisturbsNothing() throws Exception {
        String running = door.post("/whep/camera", TestAccessControl.VIEWER_TOKEN, Offers.playback()).headers()
                .firstValue("Location").orElseThrow();
        assertStatus(415, door.send("POST", "/whep/camera", TestAccessControl.VIEWER_TOKEN, "application/json",
                "{}"), "application/sdp");
        assertStatus(415, door.send("POST", "/whep/camera", TestAccessControl.VIEWER_TOKEN, null, Offers.playback()),
                "application/sdp");
        assertStatus(400, door.post("/whep/camera", TestAccessControl.VIEWER_TOKEN, "hello"), "SDP");
        assertStatus(406, door.post("/whep/camera", TestAccessControl.VIEWER_TOKEN,
                Offers.offer("recvonly", Offers.AV1)), "VP8");
        assertStatus(404, door.post("/whep/garden", TestAccessControl.VIEWER_TOKEN, Offers.playback()), "garden");
        assertStatus(404, door.post("/whep/camera/not-a-session/x", TestAccessControl.VIEWER_TOKEN, Offers.playback()), "POST to");
        assertStatus(404, door.post("/whep/", TestAccessControl.VIEWER_TOKEN, Offers.playback()), "POST to");
        assertStatus(413, door.post("/whep/camera", TestAccessControl.VIEWER_TOKEN,
                Offers.playback() + "a=x:" + "y".repeat(70_000) + "\r\n"), "larger");
        assertStatus(405, door.send("GET", "/whep/camera", TestAccessControl.VIEWER_TOKEN, null, null), "POST");
        assertStatus(405, door.send("PUT", running, TestAccessControl.VIEWER_TOKEN, SessionResources.SDP,
                Offers.playback()), "PATCH");
        assertStatus(404, door.send("DELETE", "/whep/camera/" + UUID.randomUUID(), TestAccessControl.VIEWER_TOKEN,
                null, null), "no session");
        producer.answer = false;
        assertStatus(400, door.post("/whep/camera", TestAccessControl.VIEWER_TOKEN, Offers.playback()),
                "webrtcbin refused");
        assertEquals(1, door.whep.resourceCount(), "the running session is still there");
        assertEquals(200, door.send("DELETE", running, TestAccessControl.VIEWER_TOKEN, null, null).statusCode());
    }

    @Test
    void limitsAndMissingPeersAre503WithAReason() throws Exception {
        producer.refusal = new DoorRefusal(DoorRefusal.Kind.FULL, "the device sends to 2 viewers already");
        HttpResponse<String> full = door.post("/whep/camera", TestAccessControl.VIEWER_TOKEN, Offers.playback());
        assertStatus(503, full, "2 viewers already");
        assertTrue(full.headers().firstValue("Retry-After").isPresent());
        producer.refusal = new IllegalStateException("The WebRTC producer did not answer: timeout");
        assertStatus(503, door.post("/whep/camera", TestAccessControl.VIEWER_TOKEN, Offers.playback()),
                "did not answer");
        door.whip.unbindReceiver(receiver);
        assertStatus(503, door.post("/whip/studio", TestAccessControl.TALK_TOKEN, Offers.ingest()),
                "no WebRTC receiver");
    }

    @Test
    void patchTakesTrickleCandidatesButNoIceRestart() throws Exception {
        HttpResponse<String> created = door.post("/whep/camera", TestAccessControl.VIEWER_TOKEN, Offers.playback());
        String location = created.headers().firstValue("Location").orElseThrow();
        String etag = created.headers().firstValue("ETag").orElseThrow();
        String fragment = "a=ice-ufrag:Ab12\r\na=ice-pwd:bT3xQ2yS1vP0oN9mL8kJ7hG6\r\nm=video 9 UDP/TLS/RTP/SAVPF 0\r\n"
                + "a=mid:0\r\na=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\na=end-of-candidates\r\n";
        HttpResponse<String> patched = door.send("PATCH", location, TestAccessControl.VIEWER_TOKEN,
                SessionResources.SDP_FRAGMENT, fragment, "If-Match", etag);
        assertEquals(204, patched.statusCode(), patched.body());
        assertEquals(204, door.send("PATCH", location, TestAccessControl.VIEWER_TOKEN, SessionResources.SDP_FRAGMENT,
                fragment).statusCode(), "If-Match is optional");
        assertStatus(412, door.send("PATCH", location, TestAccessControl.VIEWER_TOKEN, SessionResources.SDP_FRAGMENT,
                fragment, "If-Match", "\"other\""), "ETag");
        assertStatus(422, door.send("PATCH", location, TestAccessControl.VIEWER_TOKEN, SessionResources.SDP_FRAGMENT,
                fragment.replace("Ab12", "Zz99"), "If-Match", "*"), "ICE restarts");
        assertStatus(422, door.send("PATCH", location, TestAccessControl.VIEWER_TOKEN, SessionResources.SDP_FRAGMENT,
                fragment.replace("Ab12", "Zz99")), "ICE restarts");
        assertStatus(415, door.send("PATCH", location, TestAccessControl.VIEWER_TOKEN, "application/json", "{}"),
                "trickle-ice-sdpfrag");
        assertStatus(400, door.send("PATCH", location, TestAccessControl.VIEWER_TOKEN, SessionResources.SDP_FRAGMENT,
                fragment.replace("a=mid:0", "a=mid:7")), "a=mid:7");
        assertStatus(400, door.send("PATCH", location, TestAccessControl.VIEWER_TOKEN, SessionResources.SDP_FRAGMENT,
                "{\"candidate\":1}"), "fragment");
    }

    @Test
    void plainOptionsTellsWhatIsAccepted() throws Exception {
        HttpResponse<String> options = door.send("OPTIONS", "/whip/studio", TestAccessControl.TALK_TOKEN, null, null);
        assertEquals(204, options.statusCode());
        assertEquals("application/sdp", options.headers().firstValue("Accept-Post").orElseThrow());
    }
}
