package io.pistream.webrtc.testing;

import io.pistream.api.Codecs;
import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Element;

/** {@code audioconvert ! audioresample ! audio/x-raw,rate=48000 ! opusenc}, as the audio bundle builds it. */
public final class TestOpusEncoder implements Encoder {

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
        return "opusenc (test)";
    }

    @Override
    public boolean isAvailable() {
        return Elements.exists("opusenc");
    }

    @Override
    public Element createElement(String rawCaps) throws MediaException {
        Element opus = Elements.make("opusenc", null);
        opus.set("bitrate", 64000);
        return Elements.chain("opus", Elements.make("audioconvert", null), Elements.make("audioresample", null),
                Elements.capsFilter(null, "audio/x-raw,rate=48000"), opus);
    }
}
