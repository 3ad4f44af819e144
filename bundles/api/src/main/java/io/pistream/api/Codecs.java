package io.pistream.api;

/** Codec names shared by encoders, the hub and outputs. */
public final class Codecs {
    public static final String H264 = "H264";
    public static final String VP8 = "VP8";
    public static final String OPUS = "OPUS";
    /** Still pictures, each buffer a whole JPEG (a key frame), at a few frames per second. */
    public static final String JPEG = "JPEG";

    private Codecs() {
    }
}
