package io.pistream.webrtc.internal.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.sun.jna.Pointer;

import io.pistream.gstreamer.jna.LibGst;

import org.freedesktop.gstreamer.glib.NativeObject;

/**
 * The native objects a session holds besides its pipeline: wrappers that must stay reachable while the pipeline runs
 * (a collected one can crash the JVM) and raw references (pads) it must release. Handed over as a whole to the
 * teardown, which frees them after the pipeline is NULL.
 */
final class OwnedNatives {

    /** Added to from GStreamer threads too (pads of a receiver). */
    private final List<NativeObject> wrappers = Collections.synchronizedList(new ArrayList<>());
    private final List<Pointer> objects = new ArrayList<>();

    <T extends NativeObject> T keep(T wrapper) {
        wrappers.add(wrapper);
        return wrapper;
    }

    Pointer keepNative(Pointer object) {
        objects.add(object);
        return object;
    }

    /** @return everything held so far, now held by the result and no longer by this */
    OwnedNatives takeAll() {
        OwnedNatives taken = new OwnedNatives();
        synchronized (wrappers) {
            taken.wrappers.addAll(wrappers);
            wrappers.clear();
        }
        taken.objects.addAll(objects);
        objects.clear();
        return taken;
    }

    /** Releases the raw references, then disposes the wrappers; on the teardown thread, the pipeline NULL. */
    void free() {
        for (Pointer object : objects) {
            LibGst.gst_object_unref(object);
        }
        for (NativeObject wrapper : wrappers) {
            wrapper.dispose();
        }
    }
}
