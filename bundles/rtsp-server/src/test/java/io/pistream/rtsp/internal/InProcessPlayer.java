package io.pistream.rtsp.internal;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import io.pistream.gstreamer.jna.LibGLib;
import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.gstreamer.jna.Signals;

import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * {@code rtspsrc ! rtph264depay ! avdec_h264 ! fakesink} in this JVM, over RTSPS with full certificate validation:
 * the only trusted CA is the one given (a {@code GTlsFileDatabase}, which gst-launch-1.0 cannot set), and the host
 * name must match the certificate. Counts decoded frames.
 */
final class InProcessPlayer implements AutoCloseable {

    /** The one GIO function needed here (the tests' own binding). */
    interface Gio extends Library {
        Gio INSTANCE = Native.load("gio-2.0", Gio.class);

        Pointer g_tls_file_database_new(String anchors, PointerByReference error);
    }

    private final Pipeline pipeline;
    private final Pointer database;
    private final AtomicInteger frames = new AtomicInteger();
    private final Signals.Connection counting;

    private InProcessPlayer(String url, Path trustedCa) {
        PointerByReference error = new PointerByReference();
        database = Gio.INSTANCE.g_tls_file_database_new(trustedCa.toString(), error);
        if (database == null) {
            throw new IllegalStateException("CA " + trustedCa + ": " + LibGLib.errorMessage(error.getValue()));
        }
        pipeline = (Pipeline) Gst.parseLaunch("rtspsrc name=src latency=0 protocols=tcp ! rtph264depay ! "
                + "avdec_h264 output-corrupt=false ! fakesink name=sink sync=false");
        Element source = pipeline.getElementByName("src");
        source.set("location", url);
        LibGObject.VARIADIC.g_object_set(Natives.getRawPointer(source), "tls-database", database, null);
        Element sink = pipeline.getElementByName("sink");
        counting = Signals.probe(Natives.getRawPointer(sink.getStaticPad("sink")), Signals.PROBE_BUFFER,
                (pad, info) -> {
                    frames.incrementAndGet();
                    return Signals.PROBE_OK;
                });
        pipeline.play();
    }

    static InProcessPlayer start(String url, Path trustedCa) {
        return new InProcessPlayer(url, trustedCa);
    }

    int frames() {
        return frames.get();
    }

    @Override
    public void close() {
        pipeline.setState(State.NULL);
        counting.close();
        pipeline.dispose();
        LibGObject.g_object_unref(database);
    }
}
