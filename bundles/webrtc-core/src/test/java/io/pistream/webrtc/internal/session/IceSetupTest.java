package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Pointer;

import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.internal.GstInit;

import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.glib.Natives;
import org.junit.jupiter.api.Test;

/** A TURN server's credentials never reach the log; a session's ICE checks are paced at 5 ms. */
class IceSetupTest {

    @Test
    void theIceAgentChecksEveryFiveMilliseconds() throws Exception {
        GstInit.ensure();
        Element webrtcbin = Elements.make("webrtcbin", null);
        Pointer bin = Natives.getRawPointer(webrtcbin);
        assertEquals(20, WebRtcNative.iceCheckPacing(bin), "libnice's own pacing");
        new IceSetup(SessionSettings.loopback(10_000)).apply(bin, "test");
        assertEquals(IceSetup.ICE_CHECK_PACING_MILLIS, WebRtcNative.iceCheckPacing(bin));
        webrtcbin.dispose();
    }

    @Test
    void credentialsAreRedacted() {
        assertEquals("turn://***@turn.example:3478", IceSetup.redactTurn("turn://user:s3cret@turn.example:3478"));
        assertEquals("turns://***@10.0.0.1:5349?transport=tcp",
                IceSetup.redactTurn("turns://u:p@10.0.0.1:5349?transport=tcp"));
        assertEquals("turn://turn.example:3478", IceSetup.redactTurn("turn://turn.example:3478"));
    }
}
