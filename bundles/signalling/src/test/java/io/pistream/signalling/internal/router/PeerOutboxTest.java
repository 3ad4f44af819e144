package io.pistream.signalling.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.pistream.api.security.Caller;
import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.protocol.OutgoingMessage;
import io.pistream.signalling.protocol.PeerRole;
import io.pistream.signalling.protocol.PeerStatus;

/** Sends reach the connections in order, and a connection that refuses a frame is remembered once, in order. */
class PeerOutboxTest {

    private final Map<String, Peer> peers = new LinkedHashMap<>();
    private final PeerOutbox outbox = new PeerOutbox(new MessageCodec(), peers);
    private final List<String> sent = new ArrayList<>();

    private Peer add(String id, boolean listening, boolean refuses) {
        PeerConnection connection = new PeerConnection() {
            @Override
            public boolean send(String text) {
                if (refuses) {
                    return false;
                }
                sent.add(id + " " + text);
                return true;
            }

            @Override
            public void close() {
            }

            @Override
            public String remoteAddress() {
                return "127.0.0.1:1";
            }
        };
        List<PeerRole> roles = listening ? List.of(PeerRole.LISTENER) : List.of();
        Peer peer = new Peer(id, connection, new PeerIdentity(new Caller(id, Set.of(), "token"), false),
                new PeerStatus(roles, null, id));
        peers.put(id, peer);
        return peer;
    }

    @Test
    void broadcastGoesToListenersOnlyAndFailuresAreTakenOnceInOrder() {
        add("quiet", false, false);
        add("l1", true, false);
        add("bad2", true, true);
        add("bad1", true, true);

        outbox.broadcastToListeners(new OutgoingMessage.Welcome("x"));
        outbox.send("bad2", new OutgoingMessage.Welcome("y"));

        assertEquals(1, sent.size());
        assertEquals("l1 ", sent.get(0).substring(0, 3));
        assertEquals("bad2", outbox.takeFailed());
        assertEquals("bad1", outbox.takeFailed());
        assertNull(outbox.takeFailed());
    }

    @Test
    void sendingToAPeerNoLongerThereIsSkipped() {
        add("a", false, false);
        outbox.send("gone", new OutgoingMessage.Welcome("gone"));
        outbox.send("a", new OutgoingMessage.Welcome("a"));

        assertEquals(1, sent.size());
        assertNull(outbox.takeFailed());
    }

    @Test
    void clearForgetsTheFailures() {
        add("bad", false, true);
        outbox.send("bad", new OutgoingMessage.Welcome("bad"));
        outbox.clear();

        assertNull(outbox.takeFailed());
    }
}
