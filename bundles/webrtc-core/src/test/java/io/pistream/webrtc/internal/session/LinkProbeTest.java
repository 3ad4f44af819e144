package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a probe of a viewer's link sends and when it gives up, against a session that records what it is asked to
 * send again. The packets reaching a real viewer, and what that viewer sees, are {@code ProducerLadderTest}'s.
 */
class LinkProbeTest {

    private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
    private final FakeSession session = new FakeSession();

    @AfterEach
    void stop() {
        control.shutdownNow();
    }

    @Test
    void aProbeSendsAgainTheRateAskedForFromTheLastPacketsThenListensAndHolds() throws Exception {
        long start = System.nanoTime();
        LinkProbe.Outcome outcome = LinkProbe.start(control, session, 2000, 1000, 3, 8).get(5, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(outcome.held(), outcome.summary());
        assertTrue(outcome.summary().matches("a probe of 1000 kbit/s more held \\(\\d+ packets sent again, 0 asked "
                + "again, estimate -1 then -1 kbit/s\\)"), outcome.summary());
        assertTrue(tookMillis >= LinkProbe.SEND_MILLIS + LinkProbe.LISTEN_MILLIS, tookMillis + " ms");
        // 1000 kbit/s for 400 ms in packets of 1000 bytes: 50
        int sent = session.resent.size();
        assertTrue(sent >= 43 && sent <= 55, sent + " packets sent again");
        assertTrue(session.resent.stream().allMatch(seqnum -> seqnum >= 989 && seqnum <= 996)
                && session.resent.containsAll(List.of(989, 996)),
                "the eight packets before the last four sent, in turn: " + session.resent);
        assertTrue(session.lastResendNanos - start <= TimeUnit.MILLISECONDS.toNanos(LinkProbe.SEND_MILLIS + 60),
                "nothing sent while listening");
    }

    @Test
    void packetsAskedAgainEndTheProbeAtOnce() throws Exception {
        session.askedAgainAfterResends = 10;
        long start = System.nanoTime();
        LinkProbe.Outcome outcome = LinkProbe.start(control, session, 3000, 2000, 0, 20).get(5, TimeUnit.SECONDS);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertFalse(outcome.held());
        assertTrue(outcome.summary().matches("4 packets asked again \\d+ ms into a probe of 2000 kbit/s more "
                + "\\(10 sent again\\)"),
                outcome.summary());
        assertTrue(tookMillis < LinkProbe.SEND_MILLIS, "ended after " + tookMillis + " ms");
        int sentAtEnd = session.resent.size();
        Thread.sleep(100);
        assertEquals(sentAtEnd, session.resent.size(), "nothing more sent once it failed");
    }

    @Test
    void anEstimateThatFallsDuringTheProbeEndsItBeforeAnyPacketIsLost() throws Exception {
        session.estimateKbps = 1200;
        session.estimateAfterResends = 20;
        LinkProbe.Outcome outcome = LinkProbe.start(control, session, 2000, 1000, 0, 8).get(5, TimeUnit.SECONDS);
        assertFalse(outcome.held());
        assertTrue(outcome.summary().matches("the viewer's estimate fell from 1200 to 1000 kbit/s \\d+ ms into a "
                + "probe of 1000 kbit/s more \\(\\d+ sent again\\)"), outcome.summary());
        assertTrue(session.resent.size() < 30, session.resent.size() + " sent: it stopped once the estimate fell");
    }

    @Test
    void anEstimateThatStaysBelowTheTierThroughTheProbeFailsIt() throws Exception {
        session.estimateKbps = 1200;
        LinkProbe.Outcome outcome = LinkProbe.start(control, session, 2000, 1000, 0, 8).get(5, TimeUnit.SECONDS);
        assertFalse(outcome.held());
        assertTrue(outcome.summary().matches("the viewer's estimate stayed at 1200 kbit/s through a probe of 1000 "
                + "kbit/s more \\(\\d+ sent again\\)"), outcome.summary());
    }

    @Test
    void anEstimateThatRisesOrAlreadyCoversTheTierHolds() throws Exception {
        session.estimateKbps = 1200;
        session.estimateAfterResends = 20;
        session.estimateThen = 1260;
        LinkProbe.Outcome rose = LinkProbe.start(control, session, 2000, 1000, 0, 8).get(5, TimeUnit.SECONDS);
        assertTrue(rose.held(), rose.summary());
        assertTrue(rose.summary().endsWith("estimate 1200 then 1260 kbit/s)"), rose.summary());

        FakeSession covered = new FakeSession();
        covered.estimateKbps = 2500;
        LinkProbe.Outcome high = LinkProbe.start(control, covered, 2000, 1000, 0, 8).get(5, TimeUnit.SECONDS);
        assertTrue(high.held(), "an estimate above the tier's rate has no need to rise: " + high.summary());
    }

    @Test
    void sequenceNumbersWrapAround() throws Exception {
        session.last = new WebRtcNative.LastPacket(0x1234, 1);
        LinkProbe.start(control, session, 1000, 500, 0, 4).get(5, TimeUnit.SECONDS);
        assertTrue(session.resent.containsAll(List.of(0, 65535, 65534, 65533)), session.resent.toString());
        assertTrue(session.resent.stream().allMatch(seqnum -> seqnum <= 1 || seqnum >= 65533), session.resent.toString());
    }

    @Test
    void aSessionThatEndsEndsTheProbe() throws Exception {
        session.ended = true;
        LinkProbe.Outcome outcome = LinkProbe.start(control, session, 2000, 1000, 0, 8).get(5, TimeUnit.SECONDS);
        assertFalse(outcome.held());
        assertEquals("the session ended", outcome.summary());
        assertTrue(session.resent.isEmpty());
    }

    private static final class FakeSession implements LinkProbe.Session {
        volatile WebRtcNative.LastPacket last = new WebRtcNative.LastPacket(0x1234, 1000);
        final List<Integer> resent = new CopyOnWriteArrayList<>();
        final AtomicLong askedAgain = new AtomicLong();
        volatile int askedAgainAfterResends = -1;
        volatile long lastResendNanos;
        volatile boolean ended;
        volatile long estimateKbps = -1;
        volatile int estimateAfterResends = -1;
        volatile long estimateThen = 1000;

        @Override
        public WebRtcNative.LastPacket lastPacket() {
            return last;
        }

        @Override
        public boolean resend(int ssrc, int seqnum) {
            assertEquals(0x1234, ssrc);
            resent.add(seqnum);
            lastResendNanos = System.nanoTime();
            if (askedAgainAfterResends >= 0 && resent.size() >= askedAgainAfterResends) {
                // the viewer lost packets of its stream in the full queue and asks for them
                askedAgain.set(4);
            }
            if (estimateAfterResends >= 0 && resent.size() >= estimateAfterResends) {
                // the viewer's estimator saw its packets arrive later and later, or sooner
                estimateKbps = estimateThen;
            }
            return true;
        }

        @Override
        public long packetsAskedAgain() {
            return askedAgain.get();
        }

        @Override
        public long packetsSentAgain() {
            return resent.size();
        }

        @Override
        public long estimateKbps() {
            return estimateKbps;
        }

        @Override
        public int meanPacketBytes() {
            return 1000;
        }

        @Override
        public boolean ended() {
            return ended;
        }
    }
}
