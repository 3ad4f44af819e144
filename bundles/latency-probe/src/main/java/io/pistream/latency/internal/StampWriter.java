package io.pistream.latency.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.Signals;
import io.pistream.latency.FrameStamp;

import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * Writes the {@link FrameStamp} into every I420 buffer crossing a pad, with the wall clock at that moment. A
 * buffer probe in direct JNA: make the buffer writable (a copy only if someone else holds it), map it, write the
 * band, unmap: a few microseconds per frame.
 */
final class StampWriter {

    private static final int MAP_WRITE = 2;
    /** {@code GstPadProbeInfo.data}: after a GstPadProbeType (int, padded) and a gulong id. */
    private static final long PROBE_INFO_DATA_OFFSET = 16;
    /** {@code GstMapInfo.data}: after a GstMemory pointer and GstMapFlags (padded). */
    private static final long MAP_INFO_DATA_OFFSET = 16;
    private static final long MAP_INFO_SIZE_OFFSET = 24;
    private static final int MAP_INFO_BYTES = 104;
    private static final byte NEUTRAL_CHROMA = (byte) 128;

    private static final ThreadLocal<Memory> MAP_INFO = ThreadLocal.withInitial(() -> new Memory(MAP_INFO_BYTES));
    private static volatile byte[] chromaRow = new byte[0];

    private StampWriter() {
    }

    /** Stamps what leaves {@code pad}, for as long as the pad lives. */
    static void attach(Pad pad, int width, int height) {
        Signals.probe(Natives.getRawPointer(pad), Signals.PROBE_BUFFER, (probed, info) -> stamp(info, width, height));
    }

    private static int stamp(Pointer info, int width, int height) {
        long now = System.currentTimeMillis();
        Pointer buffer = LibGst.gst_mini_object_make_writable(info.getPointer(PROBE_INFO_DATA_OFFSET));
        info.setPointer(PROBE_INFO_DATA_OFFSET, buffer);
        Memory map = MAP_INFO.get();
        if (!LibGst.gst_buffer_map(buffer, map, MAP_WRITE)) {
            return Signals.PROBE_OK;
        }
        try {
            long lumaSize = (long) width * height;
            if (map.getLong(MAP_INFO_SIZE_OFFSET) < lumaSize * 3 / 2) {
                return Signals.PROBE_OK; // not the I420 layout we were configured for; leave the frame alone
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
            LibGst.gst_buffer_unmap(buffer, map);
        }
        return Signals.PROBE_OK;
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
}
