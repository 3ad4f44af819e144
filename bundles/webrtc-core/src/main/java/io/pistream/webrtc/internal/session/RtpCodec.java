package io.pistream.webrtc.internal.session;

import java.util.Locale;
import java.util.Optional;

import io.pistream.api.Codecs;

/** How each codec is carried over RTP: payloader, caps offered and caps sent. */
public enum RtpCodec {
    VP8(Codecs.VP8, "video", "rtpvp8pay", "rtpvp8depay", "vp8dec", 90000, 96, ""),
    H264(Codecs.H264, "video", "rtph264pay", "rtph264depay", "avdec_h264", 90000, 102,
            // constrained baseline, in-band SPS/PPS (config-interval=-1), what browsers reliably decode
            ",packetization-mode=(string)1,profile-level-id=(string)42e01f,level-asymmetry-allowed=(string)1"),
    OPUS(Codecs.OPUS, "audio", "rtpopuspay", "rtpopusdepay", "opusdec", 48000, 111,
            ",encoding-params=(string)2,minptime=(string)10,useinbandfec=(string)1");

    private final String codec;
    private final String media;
    private final String payloader;
    private final String depayloader;
    private final String decoder;
    private final int clockRate;
    private final int defaultPayload;
    private final String offerParameters;

    RtpCodec(String codec, String media, String payloader, String depayloader, String decoder, int clockRate,
            int defaultPayload, String offerParameters) {
        this.codec = codec;
        this.media = media;
        this.payloader = payloader;
        this.depayloader = depayloader;
        this.decoder = decoder;
        this.clockRate = clockRate;
        this.defaultPayload = defaultPayload;
        this.offerParameters = offerParameters;
    }

    /** The hub's codec name ({@link Codecs}). */
    public String codec() {
        return codec;
    }

    /** {@code video} or {@code audio}. */
    public String media() {
        return media;
    }

    public boolean isVideo() {
        return media.equals("video");
    }

    public String payloader() {
        return payloader;
    }

    public String depayloader() {
        return depayloader;
    }

    public String decoder() {
        return decoder;
    }

    public int defaultPayload() {
        return defaultPayload;
    }

    /** The RTP encoding name in SDP. */
    public String encodingName() {
        return name();
    }

    /** Caps for the codec preferences of an offer: with the parameters a viewer needs to accept it. */
    public String offerCaps(int payload) {
        return sendCaps(payload) + offerParameters;
    }

    /** The caps the payloader's output is held to: enough to pick the payload type, nothing a stream could break. */
    public String sendCaps(int payload) {
        return "application/x-rtp,media=" + media + ",encoding-name=" + name() + ",clock-rate=" + clockRate
                + ",payload=" + payload;
    }

    public static Optional<RtpCodec> forCodec(String codec) {
        for (RtpCodec value : values()) {
            if (value.codec.equalsIgnoreCase(codec)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    public static Optional<RtpCodec> forEncodingName(String name) {
        return forCodec(name == null ? "" : name.toUpperCase(Locale.ROOT));
    }
}
