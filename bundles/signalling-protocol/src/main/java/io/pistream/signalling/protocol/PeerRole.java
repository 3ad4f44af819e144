package io.pistream.signalling.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The roles a peer can register with {@code setPeerStatus}.
 */
public enum PeerRole {
    /** Offers media; consumers start sessions with it. */
    @JsonProperty("producer")
    PRODUCER("producer", "Producer"),
    /** Receives {@code peerStatusChanged} notifications. */
    @JsonProperty("listener")
    LISTENER("listener", "Listener"),
    /** A passive consumer that waits for a producer-initiated session. */
    @JsonProperty("consumer")
    CONSUMER("consumer", "Consumer");

    private final String wireName;
    private final String debugName;

    PeerRole(String wireName, String debugName) {
        this.wireName = wireName;
        this.debugName = debugName;
    }

    /**
     * @return the name on the wire, e.g. {@code producer}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * @return the name as the reference server prints it in error texts, e.g. {@code Producer}
     */
    public String debugName() {
        return debugName;
    }

    /**
     * @param name a wire name
     * @return the role, or {@code null} if the name is not a role
     */
    public static PeerRole fromWire(String name) {
        for (PeerRole role : values()) {
            if (role.wireName.equals(name)) {
                return role;
            }
        }
        return null;
    }
}
