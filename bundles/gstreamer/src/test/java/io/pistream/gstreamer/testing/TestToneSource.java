package io.pistream.gstreamer.testing;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Element;

/** A live sine tone, for tests and benchmarks of audio outputs. */
public final class TestToneSource implements MediaSource {

    private final String id;
    private final int channels;

    /** A mono tone. */
    public TestToneSource(String id) {
        this(id, 1);
    }

    public TestToneSource(String id, int channels) {
        this.id = id;
        this.channels = channels;
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
        return "audio/x-raw,format=S16LE,layout=interleaved,rate=48000,channels=" + channels;
    }

    @Override
    public Element createElement() throws MediaException {
        Element tone = Elements.make("audiotestsrc", null);
        tone.set("is-live", true);
        tone.set("volume", 0.3);
        tone.set("samplesperbuffer", 960); // 20 ms: one Opus frame per buffer
        return Elements.chain("tone-" + id, tone, Elements.make("audioconvert", null),
                Elements.capsFilter(null, rawCaps()));
    }
}
