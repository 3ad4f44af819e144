package io.pistream.latency.internal;

import com.sun.jna.Callback;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import io.pistream.latency.FrameStamp;

import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * Writes the {@link FrameStamp} into every I420 buffer crossing a pad, with the wall clock at that moment. A
 * buffer probe in direct JNA: make the buffer writable (a copy only if someone else holds it), map it, write the
 * band, unmap: a few microseconds per frame.
 */
final class StampWriter {

    private static final int PROBE_TYPE_BUFFER = 1 << 4;
    private static final int PROBE_OK = 1;
    private static final int MAP_WRITE = 2;
    /** {@code GstPadProbeInfo.data}: after a GstPadProbeType (int, padded) and a gulong id. */
    private static final long PROBE_INFO_DATA_OFFSET = 16;
    /** {@code GstMapInfo.data}: after a GstMemory pointer and GstMapFlags (padded). */
    private static final long MAP_INFO_DATA_OFFSET = 16;
    private static final long MAP_INFO_SIZE_OFFSET = 24;
    private static final int MAP_INFO_BYTES = 104;
    private static final byte NEUTRAL_CHROMA = (byte) 128;

    /** The probe callback; static and never collected, as native code may call it until the pad is gone. */
    private static final Probe PROBE = StampWriter::stamp;
    private static final ThreadLocal<Memory> MAP_INFO = ThreadLocal.withInitial(() -> new Memory(MAP_INFO_BYTES));
    private static volatile byte[] chromaRow = new byte[0];

    private StampWriter() {
    }

    interface Probe extends Callback {
        int invoke(Pointer pad, Pointer info, Pointer size);
    }

    /** Stamps what leaves {@code pad}; the picture size is passed as user data (width << 16 | height). */
    static void attach(Pad pad, int width, int height) {
        Native.gst_pad_add_probe(Natives.getRawPointer(pad), PROBE_TYPE_BUFFER, PROBE,
                new Pointer(((long) width << 16) | height), null);
    }

    private static int stamp(Pointer pad, Pointer info, Pointer size) {
        long now = System.currentTimeMillis();
        long packed = Pointer.nativeValue(size);
        int width = (int) (packed >>> 16);
        int height = (int) (packed & 0xFFFF);
        Pointer buffer = Native.gst_mini_object_make_writable(info.getPointer(PROBE_INFO_DATA_OFFSET));
        info.setPointer(PROBE_INFO_DATA_OFFSET, buffer);
        Memory map = MAP_INFO.get();
        if (!Native.gst_buffer_map(buffer, map, MAP_WRITE)) {
            return PROBE_OK;
        }
        try {
            long lumaSize = (long) width * height;
            if (map.getLong(MAP_INFO_SIZE_OFFSET) < lumaSize * 3 / 2) {
                return PROBE_OK; // not the I420 layout we were configured for; leave the frame alone
            }
            Pointer data = map.getPointer(MAP_INFO_DATA_OFFSET);
            byte[] row = FrameStamp.lumaRow(width, now);
            int top = FrameStamp.top(width);
            int block = FrameStamp.blockSize(width);
            for (int y = top; y < top + block; y++) {
                data.write((long) y * width, row, 0, width);
            }
            byte[] chroma = neutralChroma(width / 2);
            long chromaPlane = (long) (width / 2) * (height / 2);
            for (int y = top / 2; y < (top + block) / 2; y++) {
                data.write(lumaSize + (long) y * (width / 2), chroma, 0, chroma.length);
                data.write(lumaSize + chromaPlane + (long) y * (width / 2), chroma, 0, chroma.length);
            }
        } finally {
            Native.gst_buffer_unmap(buffer, map);
        }
        return PROBE_OK;
    }

    private static byte[] neutralChroma(int length) {
        byte[] row = chromaRow;
        if (row.length != length) {
            row = new byte[length];
            java.util.Arrays.fill(row, NEUTRAL_CHROMA);
            chromaRow = row;
        }
        return row;
    }

    /** libgstreamer-1.0, direct mapping. */
    private static final class Native {
        static {
            com.sun.jna.Native.register(Native.class, NativeLibrary.getInstance("gstreamer-1.0"));
        }

        private Native() {
        }

        static native NativeLong gst_pad_add_probe(Pointer pad, int mask, Probe callback, Pointer userData,
                Pointer destroyNotify);

        static native Pointer gst_mini_object_make_writable(Pointer object);

        static native boolean gst_buffer_map(Pointer buffer, Pointer info, int flags);

        static native void gst_buffer_unmap(Pointer buffer, Pointer info);
    }
}
