package io.pistream.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.pistream.api.net.HostNames;

/**
 * The names a server certificate is valid for: DNS names and IP addresses (subjectAltName {@code DNS:} and
 * {@code IP Address:} entries). Browsers ignore the subject's CN and match only these.
 *
 * <p>Names are checked strictly: a DNS name is letters, digits and inner hyphens in dot-separated labels of at most
 * 63 characters (253 in all), lower-cased, with no wildcard; an IP address is a literal IPv4 address (no leading
 * zeros) or IPv6 address (no zone), as {@link HostNames} checks them. Nothing is ever looked up in DNS.
 */
public final class SubjectAltNames {

    public static final SubjectAltNames EMPTY = new SubjectAltNames(Set.of(), Set.of());

    private final Set<String> dnsNames;
    private final Set<InetAddress> ipAddresses;

    SubjectAltNames(Set<String> dnsNames, Set<InetAddress> ipAddresses) {
        this.dnsNames = Collections.unmodifiableSet(dnsNames);
        this.ipAddresses = Collections.unmodifiableSet(ipAddresses);
    }

    /**
     * Names given as text, each a DNS name or an IP address literal.
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static SubjectAltNames of(Collection<String> names) {
        Set<String> dns = new LinkedHashSet<>();
        Set<InetAddress> ips = new LinkedHashSet<>();
        for (String name : names) {
            Optional<InetAddress> ip = parseIpAddress(name);
            if (ip.isPresent()) {
                ips.add(ip.get());
            } else if (isDnsName(name)) {
                dns.add(name.toLowerCase(Locale.ROOT));
            } else {
                throw new IllegalArgumentException("'" + name + "' is neither a DNS name (letters, digits, '-' and '.')"
                        + " nor an IP address");
            }
        }
        return new SubjectAltNames(dns, ips);
    }

    /** {@link #of(Collection)} for {@code "a.example, 192.0.2.1, ..."}; empty entries are skipped. */
    public static SubjectAltNames parse(String commaSeparated) {
        List<String> names = new ArrayList<>();
        if (commaSeparated != null) {
            for (String entry : commaSeparated.split(",")) {
                if (!entry.isBlank()) {
                    names.add(entry.strip());
                }
            }
        }
        return of(names);
    }

    /** The subjectAltName DNS and IP entries of a certificate (other kinds are ignored). */
    public static SubjectAltNames of(X509Certificate certificate) {
        Set<String> dns = new LinkedHashSet<>();
        Set<InetAddress> ips = new LinkedHashSet<>();
        try {
            Collection<List<?>> entries = certificate.getSubjectAlternativeNames();
            if (entries != null) {
                for (List<?> entry : entries) {
                    int type = (Integer) entry.get(0);
                    if (type == 2) {
                        dns.add(((String) entry.get(1)).toLowerCase(Locale.ROOT));
                    } else if (type == 7) {
                        parseIpAddress((String) entry.get(1)).ifPresent(ips::add);
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // a certificate whose names cannot be read covers no names
        }
        return new SubjectAltNames(dns, ips);
    }

    /** Whether {@code name} is a DNS name by the rules above. */
    public static boolean isDnsName(String name) {
        return HostNames.isDnsName(name);
    }

    /** The address, if {@code text} is an IPv4 or IPv6 literal by the rules above; never a DNS lookup. */
    public static Optional<InetAddress> parseIpAddress(String text) {
        return HostNames.parseIpAddress(text).map(SubjectAltNames::normalize);
    }

    /** The address without a scope or host name, so that equal addresses compare equal. */
    static InetAddress normalize(InetAddress address) {
        try {
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Text form of an address: dotted quad, or RFC 5952 IPv6 ({@code ::1}). */
    public static String format(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((bytes[2 * i] & 0xff) << 8) | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; i++) {
            int length = 0;
            while (i + length < 8 && groups[i + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = i;
                bestLength = length;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    public Set<String> dnsNames() {
        return dnsNames;
    }

    public Set<InetAddress> ipAddresses() {
        return ipAddresses;
    }

    public boolean isEmpty() {
        return dnsNames.isEmpty() && ipAddresses.isEmpty();
    }

    /** These names and then those of {@code other}, without repeats. */
    public SubjectAltNames plus(SubjectAltNames other) {
        Set<String> dns = new LinkedHashSet<>(dnsNames);
        dns.addAll(other.dnsNames);
        Set<InetAddress> ips = new LinkedHashSet<>(ipAddresses);
        ips.addAll(other.ipAddresses);
        return new SubjectAltNames(dns, ips);
    }

    /** The names of this set that {@code other} lacks. */
    public SubjectAltNames missingFrom(SubjectAltNames other) {
        Set<String> dns = new LinkedHashSet<>(dnsNames);
        dns.removeAll(other.dnsNames);
        Set<InetAddress> ips = new LinkedHashSet<>(ipAddresses);
        ips.removeAll(other.ipAddresses);
        return new SubjectAltNames(dns, ips);
    }

    /** The first DNS name, else the first address, else {@code fallback}: for a subject's CN. */
    public String first(String fallback) {
        if (!dnsNames.isEmpty()) {
            return dnsNames.iterator().next();
        }
        if (!ipAddresses.isEmpty()) {
            return format(ipAddresses.iterator().next());
        }
        return fallback;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SubjectAltNames
                && dnsNames.equals(((SubjectAltNames) other).dnsNames)
                && ipAddresses.equals(((SubjectAltNames) other).ipAddresses);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dnsNames, ipAddresses);
    }

    /** {@code DNS:localhost, IP:127.0.0.1, IP:::1}. */
    @Override
    public String toString() {
        List<String> entries = new ArrayList<>();
        dnsNames.forEach(name -> entries.add("DNS:" + name));
        ipAddresses.forEach(address -> entries.add("IP:" + format(address)));
        return String.join(", ", entries);
    }
}
