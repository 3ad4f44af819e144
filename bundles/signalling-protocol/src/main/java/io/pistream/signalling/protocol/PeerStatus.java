package io.pistream.signalling.protocol;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The status a peer registers: its roles (in the order sent, duplicates kept), its meta and,
 * optionally, its own id. Two statuses are equal when all three are equal, which is how the
 * reference server decides that a {@code setPeerStatus} changes nothing.
 *
 * @param roles roles, never {@code null}
 * @param meta any JSON value, or {@code null} for none
 * @param peerId the id, or {@code null}
 */
public record PeerStatus(List<PeerRole> roles, JsonNode meta, String peerId) {

    /** The status of a peer that has just connected. */
    public static final PeerStatus INITIAL = new PeerStatus(List.of(), null, null);

    public PeerStatus {
        roles = List.copyOf(Objects.requireNonNull(roles, "roles"));
    }

    public boolean producing() {
        return roles.contains(PeerRole.PRODUCER);
    }

    public boolean consuming() {
        return roles.contains(PeerRole.CONSUMER);
    }

    public boolean listening() {
        return roles.contains(PeerRole.LISTENER);
    }

    public PeerStatus withPeerId(String id) {
        return new PeerStatus(roles, meta, id);
    }

    /**
     * @return the roles as the reference server prints them in errors: {@code [Producer, Listener]}
     */
    public String rolesDebug() {
        return roles.stream().map(PeerRole::debugName).collect(Collectors.joining(", ", "[", "]"));
    }
}
