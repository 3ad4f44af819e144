package io.pistream.snapshot.internal;

import io.pistream.api.Codecs;
import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Element;

/**
 * The hub's JPEG codec: {@code videorate ! videoconvert ! jpegenc}. The rate is capped at a few pictures a second,
 * so a capture watched for pictures costs little; every JPEG is a whole picture, hence a key frame.
 */
public final class JpegEncoder implements Encoder {

    private final int framesPerSecond;
    private final int quality;

    public JpegEncoder(int framesPerSecond, int quality) {
        this.framesPerSecond = framesPerSecond;
        this.quality = quality;
    }

    @Override
    public String codec() {
        return Codecs.JPEG;
    }

    @Override
    public MediaKind kind() {
        return MediaKind.VIDEO;
    }

    @Override
    public String description() {
        return "jpegenc (" + framesPerSecond + " fps, quality " + quality + ")";
    }

    @Override
    public boolean isAvailable() {
        return Elements.exists("jpegenc") && Elements.exists("videorate");
    }

    int quality() {
        return quality;
    }

    @Override
    public Element createElement(String rawCaps) throws MediaException {
        Element rate = Elements.make("videorate", null);
        // drops frames only: never duplicates, never waits for the next frame to decide
        rate.set("max-rate", framesPerSecond);
        rate.set("drop-only", true);
        Element jpeg = Elements.make("jpegenc", null);
        jpeg.set("quality", quality);
        return Elements.chain("jpeg", rate, Elements.make("videoconvert", null), jpeg);
    }
}
