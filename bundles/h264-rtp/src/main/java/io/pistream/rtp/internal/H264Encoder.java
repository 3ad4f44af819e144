package io.pistream.rtp.internal;

import java.util.List;

import io.pistream.api.Codecs;
import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.GStreamerRuntime;

import org.freedesktop.gstreamer.Element;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * H.264 for every output, as one access unit per buffer in byte-stream form with SPS/PPS before each key frame.
 * Uses the Raspberry Pi's hardware encoder when the machine has one. A bundle with a higher-ranked
 * {@link Encoder} for H.264 replaces this one.
 */
@Component(service = Encoder.class, configurationPid = H264Settings.PID)
@Designate(ocd = H264Config.class)
public final class H264Encoder implements Encoder {

    private static final Logger LOG = LoggerFactory.getLogger(H264Encoder.class);
    /** In order of preference. */
    static final List<String> ELEMENTS = List.of("v4l2h264enc", "x264enc", "openh264enc");

    private final GStreamerRuntime runtime;
    private volatile H264Settings settings;

    @Activate
    public H264Encoder(@Reference GStreamerRuntime runtime, H264Config config) {
        this(runtime, H264Settings.from(config));
    }

    H264Encoder(GStreamerRuntime runtime, H264Settings checked) {
        this.runtime = runtime;
        this.settings = usable(checked);
        LOG.info("H.264 encoder: {}", description());
    }

    /**
     * The configuration delivered again or changed. Kept without a restart: the hub replaces this encoder only when
     * what it makes changed ({@link #description()}), so the same configuration read again changes nothing.
     */
    @Modified
    void modified(H264Config config) {
        H264Settings changed = usable(H264Settings.from(config));
        if (!changed.equals(settings)) {
            settings = changed;
            LOG.info("H.264 encoder: {}", description());
        }
    }

    private static H264Settings usable(H264Settings checked) {
        if (checked.problem() != null) {
            LOG.error("{}; using the defaults", checked.problem());
            return H264Settings.DEFAULTS;
        }
        return checked;
    }

    /** The element used: the configured one, or the first installed one in order of preference. */
    String element() {
        if (!settings.encoder().equals("auto")) {
            return settings.encoder();
        }
        return ELEMENTS.stream().filter(runtime::hasElement).findFirst().orElse("x264enc");
    }

    @Override
    public String codec() {
        return Codecs.H264;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public String description() {
        return element() + " " + settings.bitrateKbps() + " kbit/s, " + settings.profile() + ", key frame every "
                + settings.keyFrameInterval() + " frames";
    }

    @Override
    public boolean isAvailable() {
        return runtime.hasElement(element());
    }

    @Override
    public Element createElement(String rawCaps) throws MediaException {
        return createElement(rawCaps, settings.bitrateKbps());
    }

    /** As configured, but at {@code bitrateKbps}: a lower tier of the hub's quality ladder. */
    @Override
    public Element createElement(String rawCaps, int bitrateKbps) throws MediaException {
        String name = element();
        Element encoder = Elements.make(name, null);
        switch (name) {
            case "v4l2h264enc" -> encoder.setAsString("extra-controls", "controls,video_bitrate="
                    + bitrateKbps * 1000 + ",h264_i_frame_period=" + settings.keyFrameInterval()
                    + ",repeat_sequence_header=1");
            case "openh264enc" -> {
                encoder.set("bitrate", bitrateKbps * 1000);
                encoder.set("gop-size", settings.keyFrameInterval());
                encoder.setAsString("complexity", "low");
                encoder.setAsString("rate-control", "bitrate");
            }
            default -> {
                encoder.setAsString("tune", "zerolatency");
                encoder.setAsString("speed-preset", "ultrafast");
                encoder.set("bitrate", bitrateKbps);
                encoder.set("key-int-max", settings.keyFrameInterval());
            }
        }
        Element parse = Elements.make("h264parse", null);
        parse.set("config-interval", -1); // SPS/PPS with every key frame, for viewers who join late
        // I420 in front: left to negotiate, x264enc picks 10-bit 4:4:4, 3x the CPU and unplayable in browsers
        return Elements.chain("h264", Elements.make("videoconvert", null),
                Elements.capsFilter(null, "video/x-raw,format=I420"), encoder,
                Elements.capsFilter(null, "video/x-h264,profile=" + settings.profile()), parse,
                Elements.capsFilter(null, "video/x-h264,stream-format=byte-stream,alignment=au"));
    }
}
