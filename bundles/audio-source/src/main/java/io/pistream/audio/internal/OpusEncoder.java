package io.pistream.audio.internal;

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

/** Opus at 48 kHz, the audio codec of WebRTC, from {@code opusenc}. */
@Component(service = Encoder.class, configurationPid = "io.pistream.opus")
@Designate(ocd = OpusConfig.class)
public final class OpusEncoder implements Encoder {

    private static final Logger LOG = LoggerFactory.getLogger(OpusEncoder.class);

    private final GStreamerRuntime runtime;
    private volatile int bitrate;

    @Activate
    public OpusEncoder(@Reference GStreamerRuntime runtime, OpusConfig config) {
        this.runtime = runtime;
        this.bitrate = bitrate(config);
    }

    /** Kept without a restart: the hub replaces this encoder only when its description (the bitrate) changed. */
    @Modified
    void modified(OpusConfig config) {
        bitrate = bitrate(config);
    }

    private static int bitrate(OpusConfig config) {
        SettingsCheck check = new SettingsCheck("io.pistream.opus");
        int checked = check.range("bitrate", config.bitrate(), 6000, 510000);
        if (!check.ok()) {
            LOG.error("{}; using 64000", check.problem());
            return 64000;
        }
        return checked;
    }

    @Override
    public String codec() {
        return Codecs.OPUS;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.AUDIO;
    }

    @Override
    public String description() {
        return "opusenc " + bitrate / 1000 + " kbit/s";
    }

    @Override
    public boolean isAvailable() {
        return runtime.hasElement("opusenc");
    }

    @Override
    public Element createElement(String rawCaps) throws MediaException {
        Element opus = Elements.make("opusenc", null);
        opus.set("bitrate", bitrate);
        opus.setAsString("audio-type", "voice");
        return Elements.chain("opus", Elements.make("audioconvert", null), Elements.make("audioresample", null),
                Elements.capsFilter(null, "audio/x-raw,rate=48000"), opus);
    }
}
