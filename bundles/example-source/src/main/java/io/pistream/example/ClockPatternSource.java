package io.pistream.example;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.GStreamerRuntime;

import org.freedesktop.gstreamer.Element;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * How a third-party bundle adds a source: register a {@link MediaSource} service. Dropped into {@code deploy/}, it
 * can be watched over RTSP and WebRTC at once; removed, its viewers' sessions end.
 */
@Component(service = MediaSource.class)
public final class ClockPatternSource implements MediaSource {

    @Activate
    public ClockPatternSource(@Reference GStreamerRuntime runtime) {
        // the reference makes the source wait until GStreamer is initialised
    }

    @Override
    public String id() {
        return "clock";
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public String name() {
        return "Test pattern with a clock (example bundle)";
    }

    @Override
    public String rawCaps() {
        return "video/x-raw,format=I420,width=640,height=360,framerate=30/1";
    }

    @Override
    public Element createElement() throws MediaException {
        Element pattern = Elements.make("videotestsrc", null);
        pattern.set("is-live", true);
        pattern.setAsString("pattern", "smpte75");
        Element clock = Elements.make("clockoverlay", null);
        clock.set("time-format", "%H:%M:%S");
        return Elements.chain("clock", pattern,
                Elements.capsFilter(null, "video/x-raw,width=640,height=360,framerate=30/1"), clock,
                Elements.make("videoconvert", null), Elements.capsFilter(null, rawCaps()));
    }
}
