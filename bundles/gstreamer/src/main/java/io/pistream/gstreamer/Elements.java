package io.pistream.gstreamer;

import io.pistream.api.MediaException;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.GhostPad;
import org.freedesktop.gstreamer.Pad;

/**
 * Builds elements and bins from factory names and typed property values. Nothing here parses a launch line,
 * so no configuration value can add elements to a pipeline.
 */
public final class Elements {

    private Elements() {
    }

    /** A new element, or a {@link MediaException} that names the missing factory and where it comes from. */
    public static Element make(String factory, String name) throws MediaException {
        try {
            return ElementFactory.make(factory, name);
        } catch (IllegalArgumentException e) {
            throw new MediaException("GStreamer element '" + factory + "' is not installed" + packageHint(factory), e);
        }
    }

    /** Whether an element factory of that name is installed. */
    public static boolean exists(String factory) {
        try {
            return ElementFactory.find(factory) != null;
        } catch (IllegalArgumentException e) {
            return false; // gst1-java-core throws for unknown factories
        }
    }

    /** A {@code capsfilter} holding the given caps. */
    /** Raw video as video sources hand it to the hub: I420 at a size and whole frame rate. */
    public static String rawVideoCaps(int width, int height, int framerate) {
        return "video/x-raw,format=I420,width=" + width + ",height=" + height + ",framerate=" + framerate + "/1";
    }

    public static Element capsFilter(String name, String caps) throws MediaException {
        Element filter = make("capsfilter", name);
        filter.set("caps", Caps.fromString(caps));
        return filter;
    }

    /**
     * Links the elements in order inside a new bin, with a ghost pad {@code sink} for the first element's sink
     * pad (when it has one) and {@code src} for the last element's src pad (when it has one).
     */
    public static Bin chain(String name, Element... elements) throws MediaException {
        Bin bin = new Bin(name);
        bin.addMany(elements);
        linkAll(name, elements);
        Pad sink = elements[0].getStaticPad("sink");
        if (sink != null) {
            bin.addPad(new GhostPad("sink", sink));
        }
        Pad src = elements[elements.length - 1].getStaticPad("src");
        if (src != null) {
            bin.addPad(new GhostPad("src", src));
        }
        return bin;
    }

    /**
     * Links {@code decoder}'s dynamic pads of the given media type ({@code video/} or {@code audio/}) to
     * {@code next}: for {@code decodebin}, whose pads appear only once the stream is known.
     */
    public static void linkWhenReady(Element decoder, String mediaPrefix, Element next) {
        decoder.connect((Element.PAD_ADDED) (element, pad) -> {
            Pad sink = next.getStaticPad("sink");
            String caps = pad.getCurrentCaps() != null ? pad.getCurrentCaps().toString() : pad.queryCaps(null).toString();
            if (caps.startsWith(mediaPrefix) && !sink.isLinked()) {
                pad.link(sink);
            }
        });
    }

    /** A bin of linked elements where the link from {@code decoder} to the element after it is made at run time. */
    public static Bin decodeChain(String name, String mediaPrefix, Element[] before, Element[] after)
            throws MediaException {
        Bin bin = new Bin(name);
        bin.addMany(before);
        bin.addMany(after);
        linkAll(name, before);
        linkAll(name, after);
        linkWhenReady(before[before.length - 1], mediaPrefix, after[0]);
        Pad src = after[after.length - 1].getStaticPad("src");
        bin.addPad(new GhostPad("src", src));
        return bin;
    }

    private static void linkAll(String name, Element... elements) throws MediaException {
        for (int i = 0; i + 1 < elements.length; i++) {
            if (!elements[i].link(elements[i + 1])) {
                throw new MediaException("Cannot link " + elements[i].getName() + " to " + elements[i + 1].getName()
                        + " in " + name);
            }
        }
    }

    private static String packageHint(String factory) {
        return switch (factory) {
            case "x264enc" -> " (Debian package gstreamer1.0-plugins-ugly)";
            case "openh264enc", "webrtcbin", "h264parse", "compositor" -> " (Debian package gstreamer1.0-plugins-bad)";
            case "vp8enc", "rtph264pay", "udpsink", "matroskamux", "v4l2src", "pulsesrc" ->
                    " (Debian package gstreamer1.0-plugins-good)";
            case "libcamerasrc" -> " (Debian package gstreamer1.0-libcamera)";
            case "alsasrc", "alsasink" -> " (Debian package gstreamer1.0-alsa)";
            case "espeak" -> " (Debian package gstreamer1.0-espeak)";
            case "avdec_h264" -> " (Debian package gstreamer1.0-libav)";
            default -> "";
        };
    }
}
