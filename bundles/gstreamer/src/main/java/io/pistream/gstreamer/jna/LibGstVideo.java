package io.pistream.gstreamer.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/** libgstvideo-1.0, direct mapping: key frame requests. */
public final class LibGstVideo {

    static {
        Native.register(LibGstVideo.class, NativeLibrary.getInstance("gstvideo-1.0"));
    }

    private LibGstVideo() {
    }

    /** Transfer full. */
    public static native Pointer gst_video_event_new_upstream_force_key_unit(long runningTime, boolean allHeaders,
            int count);

    public static native boolean gst_video_event_is_force_key_unit(Pointer event);
}
