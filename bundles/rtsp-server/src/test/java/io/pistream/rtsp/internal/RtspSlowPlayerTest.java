package io.pistream.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A player over TCP on a link slower than the stream, next to one that keeps up. */
class RtspSlowPlayerTest {

    private static RtspRig rig;

    @BeforeAll
    static void startServer() throws Exception {
        rig = new RtspRig(500);
    }

    @AfterAll
    static void stopServer() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aPlayerThatCannotKeepUpSkipsToKeyFramesAndItsDelayStaysBounded() throws Exception {
        try (RtspServer.Registration mount = rig.hubMount("/slow", "cam", null, false);
                Clients.Player steady = Clients.Player.decode(rig.url("/slow"), "tcp");
                RawRtsp slow = new RawRtsp(rig.server.port(), 15_000, 1024)) {
            steady.awaitFrames("a player that keeps up decodes", 10, Duration.ofMillis(30_000));
            assertEquals(200, slow.play(rig.url("/slow")).status());
            long start = System.nanoTime();
            long firstTimestamp = -1;
            long bytes = 0;
            long maxLagMillis = 0;
            long lagMillis = 0;
            long lastMediaMillis = 0;
            long lastReport = start;
            while (System.nanoTime() - start < 20_000_000_000L) {
                RawRtsp.Packet packet = slow.nextPacket();
                bytes += packet.length() + 4;
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                if (packet.channel() == 0) {
                    if (firstTimestamp < 0) {
                        firstTimestamp = packet.rtpTimestamp();
                    }
                    long mediaMillis = ((packet.rtpTimestamp() - firstTimestamp) & 0xffffffffL) / 90;
                    lagMillis = elapsedMillis - mediaMillis;
                    lastMediaMillis = mediaMillis;
                    if (elapsedMillis > 3000) {
                        maxLagMillis = Math.max(maxLagMillis, lagMillis);
                    }
                }
                if (System.nanoTime() - lastReport > 1_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.out.println("slow player: " + elapsedMillis + " ms, " + bytes / 1024 + " KiB, lag "
                            + lagMillis + " ms, appsrc " + rig.server.feeds("/slow").stream()
                                    .mapToLong(MediaFeed::queuedBuffers).boxed().toList() + ", skipped "
                            + rig.server.feeds("/slow").stream().mapToLong(MediaFeed::skippedFrames).sum());
                }
                // 12 KiB/s: about 60 % of what this test stream needs (about 20 KiB/s)
                long due = bytes * 1_000_000_000L / (12 * 1024);
                long ahead = due - (System.nanoTime() - start);
                if (ahead > 0) {
                    Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
                }
            }
            System.out.println("slow player: largest lag after the first 3 s " + maxLagMillis + " ms");
            int frames = steady.frames.get();
            steady.awaitFrames("the player that keeps up is not slowed", frames + 30, Duration.ofMillis(10_000));
            // Without skipping, the delay grows by 0.4 s every second (about 8 s by the end).
            assertTrue(maxLagMillis < 4000, "the slow player's delay grew to " + maxLagMillis + " ms");
            assertTrue(lastMediaMillis > 15_000, "the slow player still gets the stream: media time "
                    + lastMediaMillis + " ms after 20 s");
        }
    }
}
