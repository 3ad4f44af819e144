package io.pistream.api.security;

import java.util.Locale;
import java.util.Optional;

/** What a caller may do. Roles do not imply each other: the generated administrator holds all three. */
public enum Role {
    /** Watch: RTSP, WebRTC, snapshots. */
    VIEWER,
    /** Send audio and video to the device (talk-back). */
    TALK,
    /** Everything else: console, configuration, recordings, users, {@code launch=} mounts. */
    ADMIN;

    /** The name in the user store and on the command line: {@code viewer}, {@code talk}, {@code admin}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code id} (case-insensitive), if there is one. */
    public static Optional<Role> of(String id) {
        if (id == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.id().equalsIgnoreCase(id.trim())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
