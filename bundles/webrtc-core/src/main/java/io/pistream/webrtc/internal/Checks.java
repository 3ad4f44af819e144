package io.pistream.webrtc.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pistream.api.net.HostNames;
import io.pistream.gstreamer.SettingsCheck;

/** Checks of the settings the producer and the receiver share (signalling, TLS trust, ICE). */
public final class Checks {

    public static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String STUN_SCHEME = "stun://";
    /** {@code turn://user:password@} or {@code turns://...@}, then host:port (checked by {@link HostNames}). */
    private static final Pattern TURN = Pattern.compile("turns?://[^:@/\\s]+:[^@/\\s]+@([^@/\\s?]+)"
            + "(\\?transport=(udp|tcp))?");

    private Checks() {
    }

    /** {@code ws://} or {@code wss://} with a host; null when refused. */
    public static URI signallingUrl(SettingsCheck check, String key, String value) {
        String text = check.text(key, value);
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
                check.require(false, key, "must be a ws:// or wss:// URL with a host, was '" + text + "'");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            check.require(false, key, "is not a URL: " + e.getMessage());
            return null;
        }
    }

    /** The CA file with {@code ${karaf.etc}} resolved; null when empty or when it does not exist (logged). */
    public static Path trustFile(SettingsCheck check, String key, String value) {
        String text = check.text(key, value);
        if (text.contains("${karaf.etc}")) {
            String etc = System.getProperty("karaf.etc");
            if (etc == null) {
                return null; // not in Karaf (tests): the JDK's trust store
            }
            text = text.replace("${karaf.etc}", etc);
        }
        check.require(!text.contains("${"), key, "unknown placeholder in '" + text + "'");
        return text.isEmpty() || text.contains("${") ? null : Path.of(text);
    }

    /** Whether the trust file can be used now; the reason why not otherwise. */
    public static String trustProblem(Path file) {
        if (file == null) {
            return null;
        }
        return Files.isReadable(file) ? null : file + " does not exist or cannot be read";
    }

    public static List<String> list(String value) {
        List<String> result = new ArrayList<>();
        for (String item : (value == null ? "" : value).split(",")) {
            if (!item.isBlank()) {
                result.add(item.trim());
            }
        }
        return result;
    }

    public static List<String> localIps(SettingsCheck check, String key, String value) {
        List<String> result = list(check.text(key, value));
        for (String ip : result) {
            check.require(HostNames.isInterfaceAddress(ip), key, "'" + ip + "' is not an IP address");
        }
        return result;
    }

    public static String stun(SettingsCheck check, String key, String value) {
        String text = check.text(key, value);
        check.require(text.isEmpty() || text.startsWith(STUN_SCHEME)
                && HostNames.parseHostPort(text.substring(STUN_SCHEME.length())).isPresent(), key,
                "must be stun://host:port, was '" + text + "'");
        return text;
    }

    public static List<String> turn(SettingsCheck check, String key, String value) {
        List<String> result = list(check.text(key, value));
        for (String uri : result) {
            Matcher turn = TURN.matcher(uri);
            check.require(turn.matches() && HostNames.parseHostPort(turn.group(1)).isPresent(), key,
                    "must be turn://user:password@host:port or turns://..., was '"
                            + uri.replaceAll("//[^@/]*@", "//***@") + "'");
        }
        return result;
    }
}
