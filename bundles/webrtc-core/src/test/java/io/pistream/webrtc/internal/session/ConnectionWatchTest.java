package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a session's link counts as up, and why it counts as lost, with short real timers. No GStreamer. */
class ConnectionWatchTest {

    private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final ConnectionWatch watch = new ConnectionWatch("s1", "peer", new SessionSettings(List.of(), "",
            List.of(), 300, 1_000, 300), control, () -> events.add("connected"), reason -> events.add(reason));

    @AfterEach
    void stop() {
        control.shutdownNow();
    }

    private void onControl(Runnable work) throws Exception {
        control.submit(work).get(5, TimeUnit.SECONDS);
    }

    private String next() throws InterruptedException {
        return events.poll(5, TimeUnit.SECONDS);
    }

    @Test
    void noConnectionWithinTheTimeoutNamesWhatWasMissing() throws Exception {
        onControl(() -> watch.startConnectTimeout(() -> true));
        assertEquals("no answer from the peer within 0 s", next());

        ConnectionWatch other = new ConnectionWatch("s2", "peer", new SessionSettings(List.of(), "", List.of(), 300,
                1_000, 300), control, () -> events.add("connected"), reason -> events.add(reason));
        onControl(() -> other.startConnectTimeout(() -> false));
        assertEquals("ICE/DTLS did not connect within 0 s", next());
    }

    @Test
    void connectedOnceAndTheTimeoutNoLongerApplies() throws Exception {
        onControl(() -> {
            watch.startConnectTimeout(() -> true);
            watch.connectionState(WebRtcNative.PC_CONNECTED);
            watch.connectionState(WebRtcNative.PC_CONNECTED);
        });
        assertEquals("connected", next());
        assertEquals(null, events.poll(600, TimeUnit.MILLISECONDS));
    }

    @Test
    void aDisconnectionEndsOnlyAfterTheGraceAndOnlyIfTheLinkDoesNotComeBack() throws Exception {
        onControl(() -> {
            watch.connectionState(WebRtcNative.PC_DISCONNECTED); // before any connection: nothing to wait for
            watch.connectionState(WebRtcNative.PC_CONNECTED);
            watch.iceState(WebRtcNative.ICE_DISCONNECTED);
            watch.connectionState(WebRtcNative.PC_CONNECTED);
        });
        assertEquals("connected", next());
        assertEquals(null, events.poll(600, TimeUnit.MILLISECONDS));

        onControl(() -> watch.connectionState(WebRtcNative.PC_DISCONNECTED));
        assertEquals("the peer vanished (ICE disconnected for 0 s)", next());
    }

    @Test
    void failuresAndCloseAreLostAtOnce() throws Exception {
        onControl(() -> {
            watch.connectionState(WebRtcNative.PC_FAILED);
            watch.iceState(WebRtcNative.ICE_FAILED);
            watch.connectionState(WebRtcNative.PC_CLOSED);
        });
        assertEquals("ICE/DTLS connection failed", next());
        assertEquals("ICE failed: no candidate pair works", next());
        assertEquals("connection closed", next());
    }

    @Test
    void cancelStopsTheTimers() throws Exception {
        onControl(() -> {
            watch.startConnectTimeout(() -> true);
            watch.cancel();
        });
        assertEquals(null, events.poll(600, TimeUnit.MILLISECONDS));
    }
}
