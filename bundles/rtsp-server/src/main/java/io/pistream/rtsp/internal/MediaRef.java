package io.pistream.rtsp.internal;

import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.rtsp.internal.jna.RtspLib;

/** A {@code GWeakRef} to a gst-rtsp-server media, to reach it from other threads without racing its disposal. */
final class MediaRef {

    private final Memory ref = new Memory(Native.POINTER_SIZE);

    MediaRef(Pointer media) {
        ref.clear();
        LibGObject.g_weak_ref_init(ref, media);
    }

    /**
     * Watchdog of a playing hub media: gst-rtsp-server blocks the streams while it prepares a media and unblocks
     * them for PLAY; a stream left blocked holds the media forever. Unblocks the streams of this media.
     *
     * @return a description of what was blocked
     */
    String unblockStreams() {
        Pointer strong = LibGObject.g_weak_ref_get(ref);
        if (strong == null) {
            return "media already gone";
        }
        try {
            List<String> report = new ArrayList<>();
            int streams = RtspLib.Server.gst_rtsp_media_n_streams(strong);
            for (int i = 0; i < streams; i++) {
                Pointer stream = RtspLib.Server.gst_rtsp_media_get_stream(strong, i);
                if (stream != null) {
                    report.add("stream " + i + (RtspLib.Server.gst_rtsp_stream_is_blocking(stream)
                            ? " was blocked" : " was not blocked"));
                    RtspLib.Server.gst_rtsp_stream_set_blocked(stream, false);
                }
            }
            return String.join(", ", report);
        } finally {
            LibGObject.g_object_unref(strong);
        }
    }
}
