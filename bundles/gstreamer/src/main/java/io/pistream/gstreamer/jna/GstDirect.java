package io.pistream.gstreamer.jna;

import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The few GStreamer operations on the per-buffer path, in direct JNA. Going through the gst1-java-core wrappers
 * costs 30-100 µs and garbage per buffer; these calls cost a few µs and allocate nothing.
 */
public final class GstDirect {

    /** {@code GST_FLOW_OK}. */
    public static final int FLOW_OK = 0;
    /** {@code GST_FLOW_FLUSHING}: the element is not running (stopped or being torn down). */
    public static final int FLOW_FLUSHING = -2;
    /** {@code GST_FLOW_EOS}. */
    public static final int FLOW_EOS = -3;
    /** {@code GST_CLOCK_TIME_NONE}. */
    public static final long CLOCK_TIME_NONE = -1L;

    private static final int BUFFER_FLAG_DELTA_UNIT = 1 << 13;
    /** Offset of {@code GstMiniObject.flags}: after a GType (pointer-sized) and two gints. */
    private static final long MINI_OBJECT_FLAGS_OFFSET = Native.POINTER_SIZE + 8L;
    /**
     * Offset of {@code GstBuffer.pts} ({@code dts} follows): after the GstMiniObject (64 bytes with 8-byte pointers,
     * 36 with 4-byte ones) and the pool pointer.
     */
    private static final long BUFFER_PTS_OFFSET = Native.POINTER_SIZE == 8 ? 72 : 40;
    /** {@code GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_META | GST_BUFFER_COPY_MEMORY}: a shallow copy without timestamps. */
    private static final int COPY_WITHOUT_TIMESTAMPS = 1 | 4 | 8;

    private GstDirect() {
    }

    /** Whether the buffer is a key frame (or a buffer of a codec without delta units). */
    public static boolean isKeyFrame(Pointer buffer) {
        return (buffer.getInt(MINI_OBJECT_FLAGS_OFFSET) & BUFFER_FLAG_DELTA_UNIT) == 0;
    }

    /**
     * A new buffer sharing the memory of {@code buffer} but with no timestamps, so that a consumer pipeline
     * running on its own clock stamps it on arrival. The caller owns the result.
     */
    public static Pointer copyWithoutTimestamps(Pointer buffer) {
        return LibGst.gst_buffer_copy_region(buffer, COPY_WITHOUT_TIMESTAMPS, new NativeLong(0), new NativeLong(-1));
    }

    /** The buffer's presentation time in ns, or {@link #CLOCK_TIME_NONE}. */
    public static long pts(Pointer buffer) {
        return buffer.getLong(BUFFER_PTS_OFFSET);
    }

    /** Sets presentation and decoding time; only on a buffer the caller holds the only reference to. */
    public static void setTimestamps(Pointer buffer, long time) {
        buffer.setLong(BUFFER_PTS_OFFSET, time);
        buffer.setLong(BUFFER_PTS_OFFSET + 8, time);
    }

    /** The caps as text; the native string is freed. */
    public static String capsToString(Pointer caps) {
        return LibGLib.takeString(LibGst.gst_caps_to_string(caps));
    }

    /** The pipeline graph in Graphviz dot form (all details). */
    public static String binToDot(Pointer bin) {
        return LibGLib.takeString(LibGst.gst_debug_bin_to_dot_data(bin, 15));
    }

    /** Asks the encoders upstream of {@code element} for a key frame with its headers. */
    public static boolean requestKeyFrame(Pointer element) {
        Pointer event = LibGstVideo.gst_video_event_new_upstream_force_key_unit(CLOCK_TIME_NONE, true, 0);
        return LibGst.gst_element_send_event(element, event);
    }
}
