package io.pistream.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import io.pistream.gstreamer.AppSrcSink;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.GstDirect;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.LibGstApp;
import io.pistream.gstreamer.jna.NativeBuffer;

import com.sun.jna.Pointer;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.Natives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A consumer pipeline fed through {@link AppSrcSink}, on real GStreamer elements. */
class AppSrcSinkTest {

    @BeforeAll
    static void initGStreamer() {
        GstInit.ensure();
    }

    /**
     * A pipeline going to PLAYING hands its clock to its elements before their base time: a buffer the hub pushes
     * in between used to be stamped with the clock's absolute time, and a sink that syncs waited the machine's
     * uptime for it. Here the appsrc is left in that moment on purpose (clock given, base time 0) when the buffer
     * comes; the sink must still get it as soon as the pipeline plays.
     */
    @Test
    void aBufferPushedBetweenClockAndBaseTimeReachesASinkThatSyncs() throws Exception {
        Pipeline pipeline = new Pipeline("stamp-test");
        AppSrc source = (AppSrc) Elements.make("appsrc", null);
        Element sink = Elements.make("appsink", null);
        sink.set("sync", true);
        pipeline.addMany(source, sink);
        Element.linkMany(source, sink);
        AppSrcSink feed = new AppSrcSink(source);
        Pointer clock = LibGst.gst_system_clock_obtain();
        Buffer buffer = new Buffer(4);
        ByteBuffer bytes = buffer.map(true);
        bytes.put(new byte[] {0, 0, 0, 1});
        buffer.unmap();
        try {
            pipeline.setState(State.PAUSED);
            LibGst.gst_element_set_clock(Natives.getRawPointer(source), clock);
            NativeBuffer.Lent lent = NativeBuffer.lend(Natives.getRawPointer(buffer));
            assertTrue(feed.onBuffer(lent));
            lent.endLoan();
            pipeline.setState(State.PLAYING);

            Pointer sample = LibGstApp.gst_app_sink_try_pull_sample(Natives.getRawPointer(sink), 3_000_000_000L);
            assertNotNull(sample, "the sink got nothing in 3 s: the buffer waits for a time as far away as the uptime");
            long pts = GstDirect.pts(LibGst.gst_sample_get_buffer(sample));
            LibGst.gst_mini_object_unref(sample);
            assertTrue(pts >= 0 && pts < 1_000_000_000L, "stamped at the start of the running time: " + pts);
        } finally {
            pipeline.setState(State.NULL);
            pipeline.dispose();
            buffer.dispose();
            LibGst.gst_object_unref(clock);
        }
    }
}
