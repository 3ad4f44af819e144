package io.pistream.snapshot.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.LibGstApp;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * Scales and re-encodes one JPEG: {@code appsrc ! jpegdec ! videoscale ! capsfilter ! jpegenc ! appsink}, built
 * from factories with typed properties, in native memory (a decoded 4K picture would not fit a small Java heap).
 */
final class JpegConverter {

    private JpegConverter() {
    }

    /**
     * @param jpeg    the picture
     * @param caps    its caps ({@code image/jpeg,width=...})
     * @param width   the width wanted, the height follows the aspect ratio
     * @param height  the height wanted
     * @param quality the JPEG quality
     */
    static byte[] convert(byte[] jpeg, String caps, int width, int height, int quality, long timeoutNanos)
            throws MediaException {
        Pipeline pipeline = new Pipeline("snapshot-convert");
        try {
            AppSrc source = (AppSrc) Elements.make("appsrc", null);
            source.setCaps(Caps.fromString(caps));
            source.set("format", 3); // GST_FORMAT_TIME
            Element scale = Elements.make("videoscale", null);
            Element size = Elements.capsFilter(null, "video/x-raw,width=" + width + ",height=" + height);
            Element encode = Elements.make("jpegenc", null);
            encode.set("quality", quality);
            Element sink = Elements.make("appsink", null);
            sink.set("sync", false);
            Element[] chain = {source, Elements.make("jpegdec", null), scale, size, encode, sink};
            pipeline.addMany(chain);
            if (!Element.linkMany(chain)) {
                throw new MediaException("cannot link the picture conversion");
            }
            if (pipeline.play() == StateChangeReturn.FAILURE) {
                throw new MediaException("the picture conversion refused to start");
            }
            Buffer buffer = new Buffer(jpeg.length);
            ByteBuffer data = buffer.map(true);
            data.put(jpeg);
            buffer.unmap();
            source.pushBuffer(buffer);
            source.endOfStream();
            Pointer sample = LibGstApp.gst_app_sink_try_pull_sample(Natives.getRawPointer(sink), timeoutNanos);
            if (sample == null) {
                throw new MediaException("the picture could not be converted within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            }
            try {
                Pointer converted = LibGst.gst_sample_get_buffer(sample);
                int length = LibGst.gst_buffer_get_size(converted).intValue();
                byte[] bytes = new byte[length];
                LibGst.gst_buffer_extract(converted, new NativeLong(0), bytes, new NativeLong(length));
                return bytes;
            } finally {
                LibGst.gst_mini_object_unref(sample);
            }
        } finally {
            pipeline.setState(State.NULL);
            pipeline.dispose();
        }
    }
}
