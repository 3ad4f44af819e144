package io.pistream.gstreamer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Collects what is wrong with a configuration, each problem naming its key and the reason, so that a refused
 * configuration says everything at once.
 */
public final class SettingsCheck {

    private static final Pattern PIPELINE_SYNTAX = Pattern.compile("[!()]|\\bname\\s*=");

    private final String pid;
    private final List<String> problems = new ArrayList<>();

    public SettingsCheck(String pid) {
        this.pid = pid;
    }

    /**
     * The name of a factory configuration: {@code front} for {@code etc/io.pistream.camera-front.cfg}
     * (configuration {@code io.pistream.camera~front}), used as a default id.
     */
    public static String instanceName(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        if (pid != null && pid.toString().contains("~")) {
            return pid.toString().substring(pid.toString().lastIndexOf('~') + 1);
        }
        Object file = properties.get("felix.fileinstall.filename");
        if (file != null) {
            String name = file.toString().replaceAll(".*/", "").replaceAll("\\.cfg$", "");
            int dash = name.indexOf('-');
            if (dash > 0) {
                return name.substring(dash + 1);
            }
        }
        return pid == null ? "default" : pid.toString().replaceAll(".*\\.", "");
    }

    /** Refuses text that looks like launch-line syntax, whatever the key. */
    public String text(String key, String value) {
        if (value != null && PIPELINE_SYNTAX.matcher(value).find()) {
            problems.add(key + ": pipeline syntax ('!', '(', ')', 'name=') is not allowed, was '" + value + "'");
        }
        return value == null ? "" : value.trim();
    }

    public String matching(String key, String value, Pattern pattern, String expected) {
        String checked = text(key, value);
        if (!checked.isEmpty() && !pattern.matcher(checked).matches()) {
            problems.add(key + ": must be " + expected + ", was '" + checked + "'");
        }
        return checked;
    }

    public String oneOf(String key, String value, Set<String> allowed) {
        String checked = text(key, value);
        if (!allowed.contains(checked)) {
            problems.add(key + ": must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + ", was '" + checked + "'");
        }
        return checked;
    }

    public int range(String key, int value, int min, int max) {
        if (value < min || value > max) {
            problems.add(key + ": must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    public void require(boolean condition, String key, String reason) {
        if (!condition) {
            problems.add(key + ": " + reason);
        }
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** {@code null} when the configuration is fine, else one line naming every bad key and why. */
    public String problem() {
        return problems.isEmpty() ? null : "Invalid configuration " + pid + ": " + String.join("; ", problems);
    }
}
