package io.pistream.security.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link SecurityConfig} checked: every bad value is named, with what is allowed, before anything starts. */
record SecuritySettings(boolean enforced, String realm, int loginFailuresAllowed, Duration loginFailureWindow,
        Duration refuse, Duration sessionLifetime, int maxSessions) {

    static SecuritySettings of(SecurityConfig config) {
        List<String> problems = new ArrayList<>();
        String auth = config.auth() == null ? "" : config.auth().trim().toLowerCase(Locale.ROOT);
        if (!auth.equals("on") && !auth.equals("off")) {
            problems.add("auth must be on or off, not '" + config.auth() + "'");
        }
        if (config.realm() == null || config.realm().isBlank()) {
            problems.add("realm must name a JAAS realm (karaf)");
        }
        check(problems, "loginFailuresAllowed", config.loginFailuresAllowed(), 1, 1000);
        check(problems, "loginFailureWindowSeconds", config.loginFailureWindowSeconds(), 1, 86_400);
        check(problems, "refuseSeconds", config.refuseSeconds(), 1, 86_400);
        check(problems, "sessionHours", config.sessionHours(), 1, 24 * 90);
        check(problems, "maxSessions", config.maxSessions(), 1, 100_000);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("etc/io.pistream.security.cfg: " + String.join("; ", problems));
        }
        return new SecuritySettings(!auth.equals("off"), config.realm().trim(), config.loginFailuresAllowed(),
                Duration.ofSeconds(config.loginFailureWindowSeconds()), Duration.ofSeconds(config.refuseSeconds()),
                Duration.ofHours(config.sessionHours()), config.maxSessions());
    }

    private static void check(List<String> problems, String name, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(name + " must be between " + min + " and " + max + ", not " + value);
        }
    }
}
