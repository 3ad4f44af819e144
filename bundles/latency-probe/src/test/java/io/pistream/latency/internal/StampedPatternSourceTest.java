package io.pistream.latency.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.internal.GstInit;
import io.pistream.latency.FrameStamp;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StampedPatternSourceTest {

    @BeforeAll
    static void gstreamer() {
        GstInit.ensure();
    }

    /** The stamp survives H.264 at 2 Mbit/s and reads back as a time just before the frame was decoded. */
    @Test
    void everyDecodedFrameCarriesItsCaptureTime() throws Exception {
        StampedPatternSource source = new StampedPatternSource("stamp", "ball", 1280, 720, 30);
        assertNull(source.problem());
        Pipeline pipeline = new Pipeline("stamp-test");
        Element encoder = Elements.make("x264enc", null);
        encoder.setAsString("tune", "zerolatency");
        encoder.setAsString("speed-preset", "ultrafast");
        encoder.set("bitrate", 2000);
        AppSink sink = (AppSink) Elements.make("appsink", null);
        sink.set("sync", false);
        sink.set("max-buffers", 60);
        Element[] chain = {source.createElement(), encoder, Elements.make("h264parse", null),
            Elements.make("avdec_h264", null), Elements.make("videoconvert", null),
            Elements.capsFilter(null, "video/x-raw,format=GRAY8"), sink};
        pipeline.addMany(chain);
        assertTrue(Element.linkMany(chain));
        List<Long> delays = new ArrayList<>();
        pipeline.play();
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            while (delays.size() < 30 && System.currentTimeMillis() < deadline) {
                Sample sample = sink.pullSample();
                assertNotNull(sample, "the pipeline stopped");
                long now = System.currentTimeMillis();
                Buffer buffer = sample.getBuffer();
                ByteBuffer luma = buffer.map(false);
                try {
                    OptionalLong stamp = FrameStamp.read(luma, 1280, 720, 1280);
                    assertTrue(stamp.isPresent(), "a decoded frame without a readable stamp");
                    delays.add(FrameStamp.elapsed(stamp.getAsLong(), now));
                } finally {
                    buffer.unmap();
                    sample.dispose();
                }
            }
        } finally {
            pipeline.setState(State.NULL);
            pipeline.dispose();
        }
        assertEquals(30, delays.size());
        for (long delay : delays) {
            assertTrue(delay >= 0 && delay < 1000, "capture to decode took " + delay + " ms: " + delays);
        }
    }

    @Test
    void badSettingsAreRefusedWithTheirReasons() {
        StampedPatternSource source = new StampedPatternSource("st amp", "ball ! fakesink", 1279, 720, 0);
        String problem = source.problem();
        assertNotNull(problem);
        for (String key : new String[] {"id", "pattern", "width/height", "framerate"}) {
            assertTrue(problem.contains(key + ":"), problem);
        }
        assertThrows(MediaException.class, source::createElement);
    }
}
