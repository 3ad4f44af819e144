package io.pistream.rtsp.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pistream.api.net.HostNames;
import io.pistream.rtsp.internal.jna.RtspLib;

/**
 * Validated server settings. {@code port} 0 (any free port) is only reachable from code, for tests; the
 * configuration accepts 1-65535. {@code tlsPort} 0 means no RTSPS.
 */
public record ServerSettings(int port, int tlsPort, String address, Set<String> protocols, int latencyMillis,
        int sessionTimeoutSeconds, int maxPlayers, String multicastFirst, String multicastLast,
        int multicastFirstPort, int multicastLastPort, int multicastTtl) {

    public static final ServerSettings DEFAULTS = new ServerSettings(8554, 8322, "0.0.0.0", Set.of("udp", "tcp"), 200,
            60, 20, "224.3.0.1", "224.3.0.254", 5000, 5999, 16);

    /** The most {@code max.players} accepted: far beyond what a Raspberry Pi serves, short of exhausting it. */
    static final int MAX_PLAYERS_LIMIT = 1000;

    private static final Set<String> KNOWN_PROTOCOLS = Set.of("udp", "tcp", "udp-mcast");
    private static final Pattern RANGE = Pattern.compile("^\\s*([^-\\s]+)\\s*-\\s*([^-\\s]+)\\s*$");

    /** Settings for tests: loopback, any free port, no RTSPS, UDP and TCP, 20 players. */
    public static ServerSettings loopback() {
        return new ServerSettings(0, 0, "127.0.0.1", Set.of("udp", "tcp"), 200, 60, 20, "224.3.0.1", "224.3.0.254",
                5000, 5999, 16);
    }

    /** Validates a configuration; the exception names every bad key and why. */
    public static ServerSettings from(ServerConfig config) {
        List<String> problems = new ArrayList<>();
        if (config.port() < 1 || config.port() > 65535) {
            problems.add("port: must be between 1 and 65535, was " + config.port());
        }
        if (config.tls_port() < 0 || config.tls_port() > 65535) {
            problems.add("tls.port: must be 0 (no RTSPS) or between 1 and 65535, was " + config.tls_port());
        } else if (config.tls_port() != 0 && config.tls_port() == config.port()) {
            problems.add("tls.port: must differ from port (both are " + config.port() + ")");
        }
        if (config.max_players() < 1 || config.max_players() > MAX_PLAYERS_LIMIT) {
            problems.add("max.players: must be between 1 and " + MAX_PLAYERS_LIMIT + ", was " + config.max_players());
        }
        String address = config.address() == null ? "" : config.address().trim();
        if (!HostNames.isHost(address)) {
            problems.add("address: must be an IP address or a host name, was '" + shorten(address) + "'");
        }
        Set<String> protocols = new LinkedHashSet<>();
        String protocolText = config.protocols() == null ? "" : config.protocols();
        for (String item : protocolText.split(",")) {
            String protocol = item.trim().toLowerCase(Locale.ROOT);
            if (protocol.isEmpty()) {
                continue;
            }
            if (KNOWN_PROTOCOLS.contains(protocol)) {
                protocols.add(protocol);
            } else {
                problems.add("protocols: unknown protocol '" + shorten(protocol) + "' (known: udp, tcp, udp-mcast)");
            }
        }
        if (protocols.isEmpty() && problems.stream().noneMatch(p -> p.startsWith("protocols"))) {
            problems.add("protocols: at least one of udp, tcp, udp-mcast is needed");
        }
        if (config.latency_ms() < 0 || config.latency_ms() > 10_000) {
            problems.add("latency.ms: must be between 0 and 10000, was " + config.latency_ms());
        }
        if (config.session_timeout_s() < 10 || config.session_timeout_s() > 3600) {
            problems.add("session.timeout.s: must be between 10 and 3600, was " + config.session_timeout_s());
        }
        String[] addresses = parseRange(config.multicast_addresses());
        if (addresses == null || !HostNames.isIpv4Multicast(addresses[0])
                || !HostNames.isIpv4Multicast(addresses[1])) {
            problems.add("multicast.addresses: must be two IPv4 multicast addresses as first-last (224.0.0.0 to "
                    + "239.255.255.255), was '" + shorten(config.multicast_addresses()) + "'");
        }
        String[] ports = parseRange(config.multicast_ports());
        int firstPort = ports == null ? -1 : parsePort(ports[0]);
        int lastPort = ports == null ? -1 : parsePort(ports[1]);
        if (firstPort < 1 || lastPort < firstPort) {
            problems.add("multicast.ports: must be a port range first-last within 1-65535, was '"
                    + shorten(config.multicast_ports()) + "'");
        }
        if (config.multicast_ttl() < 1 || config.multicast_ttl() > 255) {
            problems.add("multicast.ttl: must be between 1 and 255, was " + config.multicast_ttl());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid io.pistream.rtsp configuration: " + String.join("; ", problems));
        }
        return new ServerSettings(config.port(), config.tls_port(), address, Set.copyOf(protocols),
                config.latency_ms(), config.session_timeout_s(), config.max_players(), addresses[0], addresses[1],
                firstPort, lastPort, config.multicast_ttl());
    }

    /** The same settings with another session timeout (tests). */
    public ServerSettings withSessionTimeout(int seconds) {
        return new ServerSettings(port, tlsPort, address, protocols, latencyMillis, seconds, maxPlayers,
                multicastFirst, multicastLast, multicastFirstPort, multicastLastPort, multicastTtl);
    }

    /** The same settings with other protocols (tests). */
    public ServerSettings withProtocols(Set<String> newProtocols) {
        return new ServerSettings(port, tlsPort, address, Set.copyOf(newProtocols), latencyMillis,
                sessionTimeoutSeconds, maxPlayers, multicastFirst, multicastLast, multicastFirstPort,
                multicastLastPort, multicastTtl);
    }

    /** The same settings on another port (tests). */
    public ServerSettings withPort(int newPort) {
        return new ServerSettings(newPort, tlsPort, address, protocols, latencyMillis, sessionTimeoutSeconds,
                maxPlayers, multicastFirst, multicastLast, multicastFirstPort, multicastLastPort, multicastTtl);
    }

    /** The same settings with RTSPS on another port, 0 for none (tests). */
    public ServerSettings withTlsPort(int newTlsPort) {
        return new ServerSettings(port, newTlsPort, address, protocols, latencyMillis, sessionTimeoutSeconds,
                maxPlayers, multicastFirst, multicastLast, multicastFirstPort, multicastLastPort, multicastTtl);
    }

    /** The same settings with another cap on players (tests). */
    public ServerSettings withMaxPlayers(int newMaxPlayers) {
        return new ServerSettings(port, tlsPort, address, protocols, latencyMillis, sessionTimeoutSeconds,
                newMaxPlayers, multicastFirst, multicastLast, multicastFirstPort, multicastLastPort, multicastTtl);
    }

    /** The {@code GstRTSPLowerTrans} flags of {@link #protocols()}. */
    public int protocolFlags() {
        int flags = 0;
        for (String protocol : protocols) {
            flags |= switch (protocol) {
                case "udp" -> RtspLib.LOWER_TRANS_UDP;
                case "tcp" -> RtspLib.LOWER_TRANS_TCP;
                case "udp-mcast" -> RtspLib.LOWER_TRANS_UDP_MCAST;
                default -> 0;
            };
        }
        return flags;
    }

    public boolean multicast() {
        return protocols.contains("udp-mcast");
    }

    /** Whether the address means every interface. */
    public boolean wildcard() {
        try {
            return InetAddress.getByName(address).isAnyLocalAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static String[] parseRange(String text) {
        if (text == null) {
            return null;
        }
        Matcher matcher = RANGE.matcher(text);
        return matcher.matches() ? new String[] {matcher.group(1), matcher.group(2)} : null;
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            return port >= 1 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 80 ? clean.substring(0, 77) + "..." : clean;
    }
}
