package io.pistream.api.security;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Someone who proved who they are at a door.
 *
 * @param name  the user name, or the label of a token
 * @param roles what they may do
 * @param proof how they proved it: {@code password}, {@code token}, {@code session}, or {@code none} when
 *              authentication is switched off
 */
public record Caller(String name, Set<Role> roles, String proof) {

    public Caller {
        Objects.requireNonNull(name, "name");
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
        Objects.requireNonNull(proof, "proof");
    }

    public boolean may(Role role) {
        return roles.contains(role);
    }
}
