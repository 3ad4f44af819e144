package io.pistream.gstreamer.testing;

import io.pistream.api.Codecs;
import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaKind;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Element;

/** Software encoders for tests and benchmarks of the hub (the product's encoders live in their own bundles). */
public final class TestEncoders {

    private TestEncoders() {
    }

    /** x264 in constrained baseline, byte-stream, one access unit per buffer. */
    public static Encoder h264(int keyFrameInterval) {
        return new Encoder() {
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
                return "x264enc (test)";
            }

            @Override
            public boolean isAvailable() {
                return Elements.exists("x264enc");
            }

            @Override
            public Element createElement(String rawCaps) throws MediaException {
                return createElement(rawCaps, 2000);
            }

            @Override
            public Element createElement(String rawCaps, int bitrateKbps) throws MediaException {
                Element x264 = Elements.make("x264enc", null);
                x264.setAsString("tune", "zerolatency");
                x264.setAsString("speed-preset", "ultrafast");
                x264.set("key-int-max", keyFrameInterval);
                x264.set("bitrate", bitrateKbps);
                Element parse = Elements.make("h264parse", null);
                parse.set("config-interval", -1);
                return Elements.chain("h264", Elements.make("videoconvert", null),
                        Elements.capsFilter(null, "video/x-raw,format=I420"), x264,
                        Elements.capsFilter(null, "video/x-h264,profile=constrained-baseline"), parse,
                        Elements.capsFilter(null, "video/x-h264,stream-format=byte-stream,alignment=au"));
            }
        };
    }

    /** libvpx VP8 in real-time mode. */
    public static Encoder vp8() {
        return new Encoder() {
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
                return "vp8enc (test)";
            }

            @Override
            public boolean isAvailable() {
                return Elements.exists("vp8enc");
            }

            @Override
            public Element createElement(String rawCaps) throws MediaException {
                return createElement(rawCaps, 2000);
            }

            @Override
            public Element createElement(String rawCaps, int bitrateKbps) throws MediaException {
                Element vp8 = Elements.make("vp8enc", null);
                vp8.set("deadline", 1L);
                vp8.set("target-bitrate", bitrateKbps * 1000);
                vp8.set("keyframe-max-dist", 60);
                return Elements.chain("vp8", Elements.make("videoconvert", null), vp8);
            }
        };
    }

    /** Opus at 48 kHz. */
    public static Encoder opus() {
        return new Encoder() {
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
                return Elements.chain("opus", Elements.make("audioconvert", null),
                        Elements.make("audioresample", null), Elements.capsFilter(null, "audio/x-raw,rate=48000"),
                        opus);
            }
        };
    }
}
