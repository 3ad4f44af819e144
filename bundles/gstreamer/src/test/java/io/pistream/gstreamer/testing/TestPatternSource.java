package io.pistream.gstreamer.testing;

import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;

/**
 * A live {@code videotestsrc} of a given size, for tests and benchmarks of the hub. A test extends it for a
 * source that misbehaves (a problem, a capture that fails or freezes, an id that changes).
 */
public class TestPatternSource implements MediaSource {

    private final String id;
    private final int width;
    private final int height;
    private final int framerate;
    private final String pattern;
    private volatile Bin lastBuilt;

    public TestPatternSource(String id, int width, int height, int framerate) {
        this(id, width, height, framerate, "ball");
    }

    /** @param pattern a {@code videotestsrc} pattern name, e.g. {@code snow} (noise, the hardest to compress) */
    public TestPatternSource(String id, int width, int height, int framerate, String pattern) {
        this.id = id;
        this.width = width;
        this.height = height;
        this.framerate = framerate;
        this.pattern = pattern;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public String name() {
        return "test pattern " + width + "x" + height + "@" + framerate;
    }

    @Override
    public String rawCaps() {
        return Elements.rawVideoCaps(width, height, framerate);
    }

    @Override
    public Element createElement() throws MediaException {
        Element source = Elements.make("videotestsrc", "pattern");
        source.set("is-live", true);
        source.setAsString("pattern", pattern);
        Element convert = Elements.make("videoconvert", "convert");
        Bin bin = Elements.chain("capture-" + id, source, Elements.capsFilter("size",
                "video/x-raw,width=" + width + ",height=" + height + ",framerate=" + framerate + "/1"), convert,
                Elements.capsFilter("format", rawCaps()));
        lastBuilt = bin;
        return bin;
    }

    /** The bin built by the last {@link #createElement()}, to break it on purpose. */
    public Bin lastBuilt() {
        return lastBuilt;
    }
}
