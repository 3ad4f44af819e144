package io.pistream.signalling.protocol;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a {@code peer} message carries: exactly one SDP or one ICE candidate, as the {@code sdp} or {@code ice}
 * field of the message itself.
 */
public sealed interface PeerPayload {

    /** The largest {@code sdpMLineIndex}: the reference server reads it as an unsigned 32-bit integer. */
    long MAX_MLINE_INDEX = 0xFFFF_FFFFL;

    /** The two SDP kinds the protocol knows. */
    enum SdpType {
        @JsonProperty("offer")
        OFFER("offer"),
        @JsonProperty("answer")
        ANSWER("answer");

        private final String wireName;

        SdpType(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * {@code "sdp":{"type":"offer"|"answer","sdp":"v=0..."}}
     */
    @JsonPropertyOrder({"type", "sdp"})
    record Sdp(SdpType type, String sdp) implements PeerPayload {

        public Sdp {
            Objects.requireNonNull(type, "missing field `type`");
            Objects.requireNonNull(sdp, "missing field `sdp`");
        }
    }

    /**
     * {@code "ice":{"candidate":"...","sdpMLineIndex":0}}. Other browser fields ({@code sdpMid},
     * {@code usernameFragment}) are not kept, as in the reference server.
     *
     * @param sdpMLineIndex an unsigned 32-bit value
     */
    @JsonPropertyOrder({"candidate", "sdpMLineIndex"})
    record Ice(String candidate, @JsonProperty(required = true) long sdpMLineIndex) implements PeerPayload {

        public Ice {
            Objects.requireNonNull(candidate, "missing field `candidate`");
            if (sdpMLineIndex < 0 || sdpMLineIndex > MAX_MLINE_INDEX) {
                throw new IllegalArgumentException("invalid value for `sdpMLineIndex`: " + sdpMLineIndex);
            }
        }
    }

    /** The payload of a {@code peer} message read from the wire, where exactly one of the two is set. */
    static PeerPayload either(Sdp sdp, Ice ice) {
        if ((sdp == null) == (ice == null)) {
            throw new IllegalArgumentException("no variant of enum PeerMessageInner found in flattened data");
        }
        return sdp != null ? sdp : ice;
    }
}
