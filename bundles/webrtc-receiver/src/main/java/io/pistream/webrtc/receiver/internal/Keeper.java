package io.pistream.webrtc.receiver.internal;

import org.freedesktop.gstreamer.glib.NativeObject;

/** Hands a wrapper to the session, which keeps it alive while the pipeline runs and frees it at the teardown. */
interface Keeper {
    <T extends NativeObject> T keep(T wrapper);
}
