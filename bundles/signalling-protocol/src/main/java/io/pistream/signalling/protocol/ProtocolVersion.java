package io.pistream.signalling.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Protocol versions a peer can select with {@code setProtocolVersion}. Ordered: later is newer.
 */
public enum ProtocolVersion {
    /** The default: what every peer speaks until it selects another version. */
    @JsonProperty("v1_0")
    V1_0("v1_0"),
    /** Adds {@code setProtocolVersion} and {@code endSessionV1_1}. */
    @JsonProperty("v1_1")
    V1_1("v1_1");

    private final String wireName;

    ProtocolVersion(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean atLeast(ProtocolVersion other) {
        return compareTo(other) >= 0;
    }

    /**
     * @param name a wire name
     * @return the version, or {@code null} if unknown
     */
    public static ProtocolVersion fromWire(String name) {
        for (ProtocolVersion v : values()) {
            if (v.wireName.equals(name)) {
                return v;
            }
        }
        return null;
    }
}
