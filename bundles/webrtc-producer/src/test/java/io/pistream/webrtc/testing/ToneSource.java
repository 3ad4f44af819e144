package io.pistream.webrtc.testing;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Element;

/** A live {@code audiotestsrc} tone, 48 kHz mono. */
public final class ToneSource implements MediaSource {

    private final String id;

    public ToneSource(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.AUDIO;
    }

    @Override
    public String name() {
        return "test tone";
    }

    @Override
    public String rawCaps() {
        return "audio/x-raw,format=S16LE,rate=48000,channels=1,layout=interleaved";
    }

    @Override
    public Element createElement() throws MediaException {
        Element tone = Elements.make("audiotestsrc", null);
        tone.set("is-live", true);
        tone.set("wave", 0);
        tone.set("volume", 0.3);
        tone.set("samplesperbuffer", 960);
        return Elements.chain("capture-" + id, tone, Elements.make("audioconvert", null),
                Elements.capsFilter(null, rawCaps()));
    }
}
