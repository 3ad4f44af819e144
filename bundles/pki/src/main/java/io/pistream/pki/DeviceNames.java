package io.pistream.pki;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The names and addresses by which clients reach this device, for a server certificate's subjectAltNames: the host
 * name, {@code <host>.local} (mDNS/Avahi), {@code localhost}, {@code 127.0.0.1}, {@code ::1} and the addresses of
 * its network interfaces.
 *
 * <p>Left out: interfaces that are down, link-local addresses (a browser URL cannot carry their zone), container
 * bridges ({@code docker*}, {@code veth*}, {@code br-*}, {@code virbr*}) and, on Linux, temporary and deprecated IPv6
 * privacy addresses. Those change every day or so, and a certificate is re-issued when the device's names change.
 */
public final class DeviceNames {

    private static final List<String> CONTAINER_INTERFACES = List.of("docker", "veth", "br-", "virbr");
    private static final Path IF_INET6 = Path.of("/proc/net/if_inet6");
    private static final int IFA_F_TEMPORARY = 0x01;
    private static final int IFA_F_DEPRECATED = 0x20;

    private DeviceNames() {
    }

    /** All the device's names and addresses, as described above. */
    public static SubjectAltNames collect() {
        return of(hostname(), interfaceAddresses());
    }

    /** The names for a device called {@code hostname} with these interface addresses. */
    public static SubjectAltNames of(String hostname, Collection<InetAddress> addresses) {
        List<String> names = new ArrayList<>();
        String host = hostname == null ? "" : hostname.strip().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (SubjectAltNames.isDnsName(host) && !host.equals("localhost")) {
            names.add(host);
            String shortName = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;
            names.add(shortName);
            if (!host.endsWith(".local")) {
                names.add(shortName + ".local");
            }
        }
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("::1");
        SubjectAltNames result = SubjectAltNames.of(names);
        List<String> found = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (!address.isLoopbackAddress() && !address.isLinkLocalAddress() && !address.isAnyLocalAddress()
                    && !address.isMulticastAddress()) {
                found.add(SubjectAltNames.format(address));
            }
        }
        return result.plus(SubjectAltNames.of(found));
    }

    /** The host name from the kernel, else {@code $HOSTNAME}, else Java's idea of it; {@code localhost} if none. */
    public static String hostname() {
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel, StandardCharsets.US_ASCII).strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        String environment = System.getenv("HOSTNAME");
        if (environment != null && !environment.isBlank()) {
            return environment.strip();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Addresses of the interfaces that are up, without container bridges and IPv6 privacy addresses. */
    public static List<InetAddress> interfaceAddresses() {
        List<InetAddress> addresses = new ArrayList<>();
        Set<InetAddress> shortLived = shortLivedIpv6Addresses();
        try {
            for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!network.isUp() || network.isLoopback() || isContainerBridge(network.getName())) {
                    continue;
                }
                for (InetAddress address : Collections.list(network.getInetAddresses())) {
                    InetAddress plain = SubjectAltNames.normalize(address);
                    if (!shortLived.contains(plain)) {
                        addresses.add(plain);
                    }
                }
            }
        } catch (SocketException | NullPointerException e) {
            // no interfaces to list: the fixed names still work
        }
        return addresses;
    }

    static boolean isContainerBridge(String name) {
        return CONTAINER_INTERFACES.stream().anyMatch(name::startsWith);
    }

    /** IPv6 addresses the Linux kernel flags temporary or deprecated, from {@code /proc/net/if_inet6}. */
    static Set<InetAddress> shortLivedIpv6Addresses() {
        Set<InetAddress> addresses = new HashSet<>();
        if (!Files.isReadable(IF_INET6)) {
            return addresses;
        }
        try {
            for (String line : Files.readAllLines(IF_INET6, StandardCharsets.US_ASCII)) {
                addresses.addAll(parseIfInet6(line));
            }
        } catch (IOException | RuntimeException e) {
            // keep what was read
        }
        return addresses;
    }

    /** One line {@code <32 hex address> <ifindex> <prefix> <scope> <flags> <name>}: the address if short-lived. */
    static Set<InetAddress> parseIfInet6(String line) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 6 || fields[0].length() != 32) {
            return Set.of();
        }
        int flags = Integer.parseInt(fields[4], 16);
        if ((flags & (IFA_F_TEMPORARY | IFA_F_DEPRECATED)) == 0) {
            return Set.of();
        }
        try {
            return Set.of(InetAddress.getByAddress(HexFormat.of().parseHex(fields[0])));
        } catch (IOException e) {
            return Set.of();
        }
    }
}
