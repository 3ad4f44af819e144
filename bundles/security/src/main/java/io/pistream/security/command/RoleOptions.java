package io.pistream.security.command;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.pistream.api.security.Role;

/** Roles as the shell takes them: {@code --role viewer --role talk} or {@code --role viewer,talk}. */
final class RoleOptions {

    private RoleOptions() {
    }

    static Set<Role> parse(List<String> values, Role fallback) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (values != null) {
            for (String value : values) {
                for (String name : value.split(",")) {
                    roles.add(Role.of(name).orElseThrow(() -> new IllegalArgumentException(
                            "Unknown role '" + name.trim() + "': use viewer, talk or admin")));
                }
            }
        }
        if (roles.isEmpty()) {
            roles.add(fallback);
        }
        return roles;
    }

    static String format(Set<Role> roles) {
        return roles.isEmpty() ? "-" : roles.stream().map(Role::id).collect(Collectors.joining(","));
    }
}
