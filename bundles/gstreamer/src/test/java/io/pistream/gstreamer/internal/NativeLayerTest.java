package io.pistream.gstreamer.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.pistream.api.EncodedBuffer;
import io.pistream.api.RetainedBuffer;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.GstDirect;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.LibGstApp;
import io.pistream.gstreamer.jna.NativeBuffer;
import io.pistream.gstreamer.jna.Signals;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.Natives;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native layer's ownership checks and signal routing, on real GStreamer buffers and pipelines. */
class NativeLayerTest {

    private static final byte[] DATA = {0, 0, 0, 1, 0x65, 1, 2, 3, 4, 5};

    @BeforeAll
    static void initGStreamer() {
        GstInit.ensure();
    }

    private static Buffer buffer() {
        Buffer buffer = new Buffer(DATA.length);
        ByteBuffer bytes = buffer.map(true);
        bytes.put(DATA);
        buffer.unmap();
        return buffer;
    }

    @Test
    void aLentBufferIsReadableDuringTheCallOnly() {
        Buffer buffer = buffer();
        NativeBuffer.Lent lent = NativeBuffer.lend(Natives.getRawPointer(buffer));
        assertEquals(DATA.length, lent.size());
        assertTrue(lent.isKeyFrame());
        assertArrayEquals(DATA, lent.copyBytes());
        lent.endLoan();
        IllegalStateException error = assertThrows(IllegalStateException.class, lent::size);
        assertTrue(error.getMessage().contains("retain()"), error.getMessage());
        assertThrows(IllegalStateException.class, lent::retain);
        assertThrows(IllegalStateException.class, () -> NativeBuffer.pointerOf(lent));
        buffer.dispose();
    }

    @Test
    void aRetainedBufferOutlivesTheLoanAndIsReleasedExactlyOnce() {
        Buffer buffer = buffer();
        NativeBuffer.Lent lent = NativeBuffer.lend(Natives.getRawPointer(buffer));
        RetainedBuffer kept = lent.retain();
        lent.endLoan();
        buffer.dispose(); // the producer's reference is gone; the retained one keeps the memory
        assertArrayEquals(DATA, kept.copyBytes());
        kept.close();
        assertThrows(IllegalStateException.class, kept::size, "used after close");
        IllegalStateException twice = assertThrows(IllegalStateException.class, kept::close);
        assertTrue(twice.getMessage().contains("twice"), twice.getMessage());
    }

    @Test
    void onlyBuffersOfTheHubReachNativeCode() {
        EncodedBuffer foreign = new EncodedBuffer() {
            @Override
            public boolean isKeyFrame() {
                return true;
            }

            @Override
            public long size() {
                return 0;
            }

            @Override
            public byte[] copyBytes() {
                return new byte[0];
            }

            @Override
            public RetainedBuffer retain() {
                throw new UnsupportedOperationException();
            }
        };
        assertThrows(IllegalArgumentException.class, () -> NativeBuffer.pointerOf(foreign));
    }

    @Test
    void aClosedConnectionReceivesNoMoreSignals() throws Exception {
        int routesBefore = Signals.open();
        Pipeline pipeline = new Pipeline("signals-test");
        Element source = Elements.make("videotestsrc", null);
        source.set("is-live", true);
        Element sink = Elements.make("appsink", null);
        sink.set("emit-signals", true);
        sink.set("sync", false);
        pipeline.addMany(source, sink);
        Element.linkMany(source, sink);
        AtomicInteger samples = new AtomicInteger();
        AtomicInteger afterClose = new AtomicInteger();
        boolean[] closed = {false};
        Signals.Connection connection = Signals.connect(Natives.getRawPointer(sink), "new-sample", appsink -> {
            LibGst.gst_mini_object_unref(LibGstApp.gst_app_sink_try_pull_sample(appsink, 0));
            (closed[0] ? afterClose : samples).incrementAndGet();
            return GstDirect.FLOW_OK;
        });
        assertEquals(routesBefore + 1, Signals.open());
        try {
            pipeline.play();
            await("samples arrive through the router").atMost(Duration.ofMillis(10_000))
                    .until(() -> samples.get() >= 10);
            connection.close();
            closed[0] = true;
            assertFalse(connection.isOpen());
            assertEquals(routesBefore, Signals.open(), "the route is forgotten");
            int seen = samples.get();
            Thread.sleep(300); // frames keep coming at 30 fps; none may reach the closed handler
            assertEquals(0, afterClose.get(), "calls after close");
            assertEquals(seen, samples.get());
        } finally {
            pipeline.setState(State.NULL);
            pipeline.dispose();
        }
    }
}
