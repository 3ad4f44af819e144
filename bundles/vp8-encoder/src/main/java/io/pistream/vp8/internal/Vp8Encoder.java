package io.pistream.vp8.internal;

import io.pistream.api.Codecs;
import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.GStreamerRuntime;
import io.pistream.gstreamer.SettingsCheck;

import org.freedesktop.gstreamer.Element;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * VP8 from {@code vp8enc} in real-time mode (CBR, no lag, error resilient), the codec WebRTC viewers prefer.
 * One instance is shared by every viewer that chooses VP8; a hardware encoder bundle can replace it by
 * registering a VP8 {@link Encoder} with a higher ranking.
 */
// id and name as before the split, so that existing configurations and tools still find them
@Component(name = "io.pistream.webrtc.internal.Vp8Encoder",
        service = Encoder.class, configurationPid = Vp8Encoder.PID, property = Encoder.CODEC + "=" + Codecs.VP8)
@Designate(ocd = Vp8Config.class)
public final class Vp8Encoder implements Encoder {

    static final String PID = "io.pistream.vp8";
    private static final Logger LOG = LoggerFactory.getLogger(Vp8Encoder.class);

    private final GStreamerRuntime runtime;
    private volatile Settings settings;

    /** What the encoder makes; the hub replaces the encoder when it changes. */
    private record Settings(int kbps, int keyframeInterval, int cpuUsed, int threads) {
        static final Settings DEFAULTS = new Settings(2000, 60, 4, 2);

        /** All but the bitrate as by default: then the description names only the bitrate. */
        boolean restAsDefaults() {
            return keyframeInterval == DEFAULTS.keyframeInterval && cpuUsed == DEFAULTS.cpuUsed
                    && threads == DEFAULTS.threads;
        }
    }

    @Activate
    public Vp8Encoder(@Reference GStreamerRuntime runtime, Vp8Config config) {
        this.runtime = runtime;
        this.settings = settings(config);
    }

    /** Kept without a restart: the same configuration read again changes nothing (see {@link #description()}). */
    @Modified
    void modified(Vp8Config config) {
        settings = settings(config);
    }

    private static Settings settings(Vp8Config config) {
        SettingsCheck check = new SettingsCheck(PID);
        int bitrate = check.range("bitrate", config.bitrate(), 100, 20000);
        int interval = check.range("keyframe.interval", config.keyframe_interval(), 1, 3000);
        int speed = check.range("cpu.used", config.cpu_used(), 0, 16);
        int threadCount = check.range("threads", config.threads(), 1, 8);
        if (!check.ok()) {
            LOG.error("{}; using the defaults (2000 kbit/s, key frame every 60 frames, cpu-used 4, 2 threads)",
                    check.problem());
            return Settings.DEFAULTS;
        }
        return new Settings(bitrate, interval, speed, threadCount);
    }

    @Override
    public String codec() {
        return Codecs.VP8;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public String description() {
        Settings current = settings;
        return "vp8enc " + current.kbps() + " kbit/s" + (current.restAsDefaults() ? ""
                : ", key frame every " + current.keyframeInterval() + " frames, cpu-used " + current.cpuUsed() + ", "
                        + current.threads() + " threads");
    }

    @Override
    public boolean isAvailable() {
        return runtime.hasElement("vp8enc");
    }

    @Override
    public Element createElement(String rawCaps) throws MediaException {
        Settings current = settings;
        return build(current, current.kbps());
    }

    /** As configured, but at {@code bitrateKbps}: a lower tier of the hub's quality ladder. */
    @Override
    public Element createElement(String rawCaps, int bitrateKbps) throws MediaException {
        return build(settings, bitrateKbps);
    }

    private static Element build(Settings current, int bitrateKbps) throws MediaException {
        Element vp8 = Elements.make("vp8enc", null);
        vp8.set("deadline", 1L);
        vp8.set("target-bitrate", bitrateKbps * 1000);
        vp8.setAsString("end-usage", "cbr");
        vp8.set("lag-in-frames", 0);
        vp8.set("keyframe-max-dist", current.keyframeInterval());
        vp8.set("cpu-used", current.cpuUsed());
        vp8.set("threads", current.threads());
        vp8.setAsString("error-resilient", "default");
        return Elements.chain("vp8", Elements.make("videoconvert", null),
                Elements.capsFilter(null, "video/x-raw,format=I420"), vp8);
    }
}
