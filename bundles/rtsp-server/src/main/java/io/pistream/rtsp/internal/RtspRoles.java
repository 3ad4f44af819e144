package io.pistream.rtsp.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;

import com.sun.jna.Pointer;

import io.pistream.api.security.Role;
import io.pistream.rtsp.internal.jna.RtspLib;

/**
 * Roles as gst-rtsp-server checks them. Its token carries one role name, which each factory's
 * {@code GstRTSPPermissions} allows or not; a user holds a set of roles that do not imply each other. So the token's
 * role is the user's whole set ({@code viewer+admin}), and a mount allows every set that holds the role it needs:
 * {@code viewer} for hub mounts, {@code admin} for {@code launch=} mounts (arbitrary pipelines).
 */
final class RtspRoles {

    private RtspRoles() {
    }

    /** The token role of a set of roles, for example {@code viewer+admin}; null for no role. */
    static String tokenRole(Set<Role> roles) {
        StringJoiner joined = new StringJoiner("+");
        for (Role role : Role.values()) {
            if (roles.contains(role)) {
                joined.add(role.id());
            }
        }
        return joined.length() == 0 ? null : joined.toString();
    }

    /** Every token role that holds {@code needed}. */
    static List<String> tokenRolesHolding(Role needed) {
        Role[] all = Role.values();
        List<String> result = new ArrayList<>();
        for (int mask = 1; mask < 1 << all.length; mask++) {
            if ((mask & 1 << needed.ordinal()) != 0) {
                Set<Role> roles = EnumSet.noneOf(Role.class);
                for (Role role : all) {
                    if ((mask & 1 << role.ordinal()) != 0) {
                        roles.add(role);
                    }
                }
                result.add(tokenRole(roles));
            }
        }
        return result;
    }

    /** The role a mount needs: {@code admin} for an admin-defined launch line, {@code viewer} otherwise. */
    static Role needed(MountSpec spec) {
        return spec.isLaunch() ? Role.ADMIN : Role.VIEWER;
    }

    /**
     * Permissions for a mount's factory: callers holding the role it needs may see it and make its media. Others
     * are answered 404, as if it did not exist. Transfer full: unref with {@code gst_mini_object_unref}.
     */
    static Pointer permissionsFor(MountSpec spec) {
        Pointer permissions = RtspLib.Server.gst_rtsp_permissions_new();
        for (String role : tokenRolesHolding(needed(spec))) {
            RtspLib.Server.gst_rtsp_permissions_add_role_empty(permissions, role);
            RtspLib.Server.gst_rtsp_permissions_add_permission_for_role(permissions, role,
                    RtspLib.PERMISSION_MEDIA_FACTORY_ACCESS, true);
            RtspLib.Server.gst_rtsp_permissions_add_permission_for_role(permissions, role,
                    RtspLib.PERMISSION_MEDIA_FACTORY_CONSTRUCT, true);
        }
        return permissions;
    }
}
