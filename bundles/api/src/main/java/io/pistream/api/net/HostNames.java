package io.pistream.api.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Host names, IP address literals and {@code host:port} text, checked strictly and without any DNS lookup:
 * <ul>
 * <li>a DNS name is dot-separated labels of letters, digits and inner hyphens, each of 1 to 63 characters, 253 in
 * all, whose last label is not all digits ({@code 1.2.3} is a mistyped address, not a name);</li>
 * <li>an IPv4 literal is four decimal numbers 0-255 without leading zeros; an IPv6 literal is any text form of
 * RFC 4291 (parsed by the JDK, which never resolves text containing a colon); neither carries a zone unless
 * {@link #isInterfaceAddress} allows one.</li>
 * </ul>
 */
public final class HostNames {

    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;

    /** A host and a port, the host without IPv6 brackets. */
    public record HostPort(String host, int port) {
    }

    private HostNames() {
    }

    /** Whether {@code text} is a DNS name or an IP address literal. */
    public static boolean isHost(String text) {
        return isDnsName(text) || isIpAddress(text);
    }

    /** Whether {@code text} is a DNS name by the rules above (no wildcard, no trailing dot). */
    public static boolean isDnsName(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_NAME_LENGTH) {
            return false;
        }
        String[] labels = text.split("\\.", -1);
        for (String label : labels) {
            if (!isLabel(label)) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(HostNames::isDigit);
    }

    /** Whether {@code text} is an IPv4 or IPv6 literal without a zone. */
    public static boolean isIpAddress(String text) {
        return parseIpAddress(text).isPresent();
    }

    /** The address of an IPv4 or IPv6 literal without a zone; empty for anything else. Never a DNS lookup. */
    public static Optional<InetAddress> parseIpAddress(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        if (text.indexOf(':') < 0) {
            return parseIpv4(text);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(isHexDigit(c) || c == ':' || c == '.')) {
                return Optional.empty(); // no zone, no brackets, nothing the JDK might take for a name
            }
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // a literal with ':' is parsed, never resolved
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether {@code text} is an address as a network interface has it: an IP literal, or an IPv6 literal with a
     * zone ({@code fe80::1%eth0}).
     */
    public static boolean isInterfaceAddress(String text) {
        if (text == null) {
            return false;
        }
        int percent = text.indexOf('%');
        if (percent < 0) {
            return isIpAddress(text);
        }
        String zone = text.substring(percent + 1);
        return parseIpAddress(text.substring(0, percent)).filter(Inet6Address.class::isInstance).isPresent()
                && !zone.isEmpty() && zone.chars().allMatch(c -> isLetterOrDigit(c) || c == '_' || c == '.'
                        || c == '-');
    }

    /** Whether {@code text} is an IPv4 multicast address literal (224.0.0.0 to 239.255.255.255). */
    public static boolean isIpv4Multicast(String text) {
        return parseIpv4(text).map(InetAddress::isMulticastAddress).orElse(false);
    }

    /**
     * {@code host:port} with a DNS name or IPv4 literal, or {@code [ipv6]:port}; the port 1-65535. Empty for
     * anything else, a missing port included.
     */
    public static Optional<HostPort> parseHostPort(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                return Optional.empty();
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (host.indexOf(':') < 0 || !isIpAddress(host)) {
                return Optional.empty(); // brackets are for IPv6 literals only
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.indexOf(':') >= 0 || !isHost(host)) {
                return Optional.empty(); // an IPv6 literal needs brackets before a port
            }
        }
        int number = parsePort(port);
        return number < 0 ? Optional.empty() : Optional.of(new HostPort(host, number));
    }

    /**
     * Whether {@code text} is a URL authority without user: a host with an optional port, IPv6 literals in brackets
     * ({@code pi.local}, {@code 192.168.1.20:8443}, {@code [::1]:8443}, {@code [::1]}), as an HTTP Host header.
     */
    public static boolean isAuthority(String text) {
        if (text == null) {
            return false;
        }
        if (text.startsWith("[") && text.endsWith("]")) {
            String literal = text.substring(1, text.length() - 1);
            return literal.indexOf(':') >= 0 && isIpAddress(literal);
        }
        return text.indexOf(':') < 0 ? isHost(text) : parseHostPort(text).isPresent();
    }

    /** The host as it goes into a URL: an IPv6 literal in brackets, anything else unchanged. */
    public static String forUrl(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** A decimal port 1-65535, or -1. */
    private static int parsePort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(HostNames::isDigit)) {
            return -1;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : -1;
    }

    private static Optional<InetAddress> parseIpv4(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(HostNames::isDigit)
                    || part.length() > 1 && part.charAt(0) == '0') {
                return Optional.empty();
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return Optional.empty();
            }
            bytes[i] = (byte) value;
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty(); // not reached: four bytes are always an address
        }
    }

    private static boolean isLabel(String label) {
        if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH || label.charAt(0) == '-'
                || label.charAt(label.length() - 1) == '-') {
            return false;
        }
        return label.chars().allMatch(c -> isLetterOrDigit(c) || c == '-');
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetterOrDigit(int c) {
        return isDigit(c) || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isHexDigit(char c) {
        return isDigit(c) || "abcdefABCDEF".indexOf(c) >= 0;
    }
}
