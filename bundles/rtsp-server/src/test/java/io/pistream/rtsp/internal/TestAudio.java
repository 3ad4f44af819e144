package io.pistream.rtsp.internal;

import io.pistream.api.Codecs;
import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.api.MediaSource;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.testing.TestToneSource;

import org.freedesktop.gstreamer.Element;

/** A stereo test tone and software Opus and AAC encoders for the server's tests. */
final class TestAudio {

    private TestAudio() {
    }

    /** A live 48 kHz stereo sine. */
    static MediaSource tone(String id) {
        return new TestToneSource(id, 2);
    }

    static Encoder opus() {
        return encoder(Codecs.OPUS, "opusenc (test)", "opusenc");
    }

    static Encoder aac() {
        return encoder(MountSpec.AAC, "avenc_aac (test)", "avenc_aac");
    }

    private static Encoder encoder(String codec, String description, String factory) {
        return new Encoder() {
            @Override
            public String codec() {
                return codec;
            }

            @Override
            public MediaKind kind() {
                return MediaKind.AUDIO;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public boolean isAvailable() {
                return Elements.exists(factory);
            }

            @Override
            public Element createElement(String rawCaps) throws MediaException {
                Element encoder = Elements.make(factory, null);
                if (codec.equals(MountSpec.AAC)) {
                    return Elements.chain("aac", Elements.make("audioconvert", null),
                            Elements.make("audioresample", null), encoder, Elements.make("aacparse", null),
                            Elements.capsFilter(null, "audio/mpeg,mpegversion=4,stream-format=adts"));
                }
                return Elements.chain("opus", Elements.make("audioconvert", null),
                        Elements.make("audioresample", null), encoder);
            }
        };
    }
}
