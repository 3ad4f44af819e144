package io.pistream.signalling.internal.protocol;

/**
 * What a {@code peer} message carries: exactly one SDP or one ICE candidate.
 */
public sealed interface PeerPayload {

    /** The two SDP kinds the protocol knows. */
    enum SdpType {
        OFFER("offer"), ANSWER("answer");

        private final String wireName;

        SdpType(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        static SdpType fromWire(String name) {
            for (SdpType t : values()) {
                if (t.wireName.equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * {@code "sdp":{"type":"offer"|"answer","sdp":"v=0..."}}
     */
    record Sdp(SdpType type, String sdp) implements PeerPayload {
    }

    /**
     * {@code "ice":{"candidate":"...","sdpMLineIndex":0}}. Other browser fields ({@code sdpMid},
     * {@code usernameFragment}) are not kept, as in the reference server.
     *
     * @param sdpMLineIndex an unsigned 32-bit value
     */
    record Ice(String candidate, long sdpMLineIndex) implements PeerPayload {
    }
}
