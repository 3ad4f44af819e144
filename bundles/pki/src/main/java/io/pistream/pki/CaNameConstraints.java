package io.pistream.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;

/**
 * The names a CA may vouch for: the X.509 NameConstraints extension (critical) of the CA certificates made here, so
 * that a browser or phone that trusts the CA trusts it for the device and the local network, never for other web
 * sites. A CA made here permits DNS names under {@code local} (mDNS) and {@code localhost}, the device's own names,
 * the loopback, private and link-local address ranges, and any address of the device outside those ranges.
 *
 * <p>A DNS entry covers the name and every name below it ({@code local} covers {@code pi.local}); an address entry
 * covers a range. A kind of name (DNS, IP) with no permitted entry is not limited; the excluded entries of a CA made
 * elsewhere are honoured too.
 */
public final class CaNameConstraints {

    /** The DNS names, with all names below them, that every CA made here may vouch for. */
    public static final List<String> LOCAL_DNS_NAMES = List.of("local", "localhost");

    /** The address ranges every CA made here may vouch for: loopback, private (RFC 1918, RFC 4193), link-local. */
    public static final List<String> LOCAL_IP_RANGES = List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8",
            "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "fc00::/7", "fe80::/10");

    private final List<String> permittedDns;
    private final List<IpRange> permittedIp;
    private final List<String> excludedDns;
    private final List<IpRange> excludedIp;

    private CaNameConstraints(List<String> permittedDns, List<IpRange> permittedIp, List<String> excludedDns,
            List<IpRange> excludedIp) {
        this.permittedDns = Collections.unmodifiableList(permittedDns);
        this.permittedIp = Collections.unmodifiableList(permittedIp);
        this.excludedDns = Collections.unmodifiableList(excludedDns);
        this.excludedIp = Collections.unmodifiableList(excludedIp);
    }

    /** What a new CA permits: the local names and ranges above, and {@code names} where those do not cover them. */
    public static CaNameConstraints forNames(SubjectAltNames names) {
        List<IpRange> ranges = new ArrayList<>();
        LOCAL_IP_RANGES.forEach(range -> ranges.add(IpRange.parse(range)));
        CaNameConstraints local = new CaNameConstraints(LOCAL_DNS_NAMES, ranges, List.of(), List.of());
        Set<String> dns = new LinkedHashSet<>(LOCAL_DNS_NAMES);
        names.dnsNames().stream().filter(name -> !local.permits(name)).forEach(dns::add);
        names.ipAddresses().stream().filter(address -> !local.permits(address))
                .forEach(address -> ranges.add(IpRange.host(address)));
        return new CaNameConstraints(new ArrayList<>(dns), ranges, List.of(), List.of());
    }

    /**
     * The name constraints of a CA certificate; empty when it has none, as the CAs made by earlier versions.
     *
     * @throws PkiException when the extension is there but cannot be read
     */
    public static Optional<CaNameConstraints> of(X509Certificate certificate) throws PkiException {
        byte[] extension = certificate.getExtensionValue(Extension.nameConstraints.getId());
        if (extension == null) {
            return Optional.empty();
        }
        try {
            NameConstraints constraints = NameConstraints.getInstance(
                    ASN1OctetString.getInstance(extension).getOctets());
            List<String> permittedDns = new ArrayList<>();
            List<IpRange> permittedIp = new ArrayList<>();
            List<String> excludedDns = new ArrayList<>();
            List<IpRange> excludedIp = new ArrayList<>();
            read(constraints.getPermittedSubtrees(), permittedDns, permittedIp);
            read(constraints.getExcludedSubtrees(), excludedDns, excludedIp);
            return Optional.of(new CaNameConstraints(permittedDns, permittedIp, excludedDns, excludedIp));
        } catch (RuntimeException e) { // BouncyCastle's parsers fail with several kinds
            throw new PkiException("the name constraints of the CA '"
                    + certificate.getSubjectX500Principal().getName() + "' cannot be read: " + e.getMessage(), e);
        }
    }

    /** The DNS and IP entries of {@code subtrees} (other kinds of name are not in certificates issued here). */
    private static void read(GeneralSubtree[] subtrees, List<String> dns, List<IpRange> ip) {
        if (subtrees == null) {
            return;
        }
        for (GeneralSubtree subtree : subtrees) {
            GeneralName base = subtree.getBase();
            if (base.getTagNo() == GeneralName.dNSName) {
                dns.add(ASN1IA5String.getInstance(base.getName()).getString().toLowerCase(Locale.ROOT));
            } else if (base.getTagNo() == GeneralName.iPAddress) {
                ip.add(IpRange.of(ASN1OctetString.getInstance(base.getName()).getOctets()));
            }
        }
    }

    /** Whether a certificate signed by this CA may carry {@code dnsName}. */
    public boolean permits(String dnsName) {
        String name = dnsName.toLowerCase(Locale.ROOT);
        boolean permitted = permittedDns.isEmpty() || permittedDns.stream().anyMatch(root -> isWithin(name, root));
        return permitted && excludedDns.stream().noneMatch(root -> isWithin(name, root));
    }

    /** Whether a certificate signed by this CA may carry {@code address}. */
    public boolean permits(InetAddress address) {
        byte[] bytes = address.getAddress();
        // IPv4 and IPv6 are one kind of name: IPv4 ranges alone permit no IPv6 address
        boolean permitted = permittedIp.isEmpty() || permittedIp.stream().anyMatch(range -> range.contains(bytes));
        return permitted && excludedIp.stream().noneMatch(range -> range.contains(bytes));
    }

    /** The names of {@code names} that this CA may vouch for. */
    public SubjectAltNames permitted(SubjectAltNames names) {
        return new SubjectAltNames(
                names.dnsNames().stream().filter(this::permits).collect(Collectors.toCollection(LinkedHashSet::new)),
                names.ipAddresses().stream().filter(this::permits)
                        .collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /** The names of {@code names} that this CA may not vouch for; empty when it may vouch for all. */
    public SubjectAltNames notPermitted(SubjectAltNames names) {
        return names.missingFrom(permitted(names));
    }

    /** RFC 5280: a DNS constraint covers the name itself and any name made by adding labels on its left. */
    private static boolean isWithin(String name, String root) {
        if (root.isEmpty()) {
            return true;
        }
        if (root.startsWith(".")) { // not RFC 5280, but some tools write it, meaning the names below only
            return name.endsWith(root);
        }
        return name.equals(root) || name.endsWith("." + root);
    }

    /** The extension's value, for the CA certificate. */
    NameConstraints toExtension() {
        List<GeneralSubtree> permitted = new ArrayList<>();
        permittedDns.forEach(name -> permitted.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, name))));
        permittedIp.forEach(range -> permitted.add(new GeneralSubtree(range.toGeneralName())));
        List<GeneralSubtree> excluded = new ArrayList<>();
        excludedDns.forEach(name -> excluded.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, name))));
        excludedIp.forEach(range -> excluded.add(new GeneralSubtree(range.toGeneralName())));
        return new NameConstraints(permitted.toArray(new GeneralSubtree[0]),
                excluded.isEmpty() ? null : excluded.toArray(new GeneralSubtree[0]));
    }

    /** {@code DNS:local, DNS:localhost, IP:127.0.0.0/8, ...}, then the excluded entries after {@code except}. */
    @Override
    public String toString() {
        String permitted = entries(permittedDns, permittedIp);
        return excludedDns.isEmpty() && excludedIp.isEmpty() ? permitted
                : permitted + " except " + entries(excludedDns, excludedIp);
    }

    private static String entries(List<String> dns, List<IpRange> ip) {
        List<String> entries = new ArrayList<>();
        dns.forEach(name -> entries.add("DNS:" + name));
        ip.forEach(range -> entries.add("IP:" + range));
        return String.join(", ", entries);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CaNameConstraints that && toString().equals(that.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** An address range as X.509 writes it: the network address and a mask of the same length. */
    private static final class IpRange {

        private final byte[] network;
        private final byte[] mask;

        private IpRange(byte[] network, byte[] mask) {
            this.network = network;
            this.mask = mask;
        }

        static IpRange parse(String cidr) {
            int slash = cidr.indexOf('/');
            InetAddress address = SubjectAltNames.parseIpAddress(cidr.substring(0, slash)).orElseThrow();
            int prefixLength = Integer.parseInt(cidr.substring(slash + 1));
            byte[] mask = new byte[address.getAddress().length];
            for (int bit = 0; bit < prefixLength; bit++) {
                mask[bit / 8] |= (byte) (0x80 >>> (bit % 8));
            }
            return of(address.getAddress(), mask);
        }

        static IpRange host(InetAddress address) {
            byte[] mask = new byte[address.getAddress().length];
            Arrays.fill(mask, (byte) 0xff);
            return of(address.getAddress(), mask);
        }

        /** From the 8 (IPv4) or 32 (IPv6) bytes of a name constraint: address, then mask. */
        static IpRange of(byte[] addressAndMask) {
            if (addressAndMask.length != 8 && addressAndMask.length != 32) {
                throw new IllegalArgumentException("an address range of " + addressAndMask.length
                        + " bytes (not 8 or 32)");
            }
            int half = addressAndMask.length / 2;
            return of(Arrays.copyOf(addressAndMask, half), Arrays.copyOfRange(addressAndMask, half,
                    addressAndMask.length));
        }

        private static IpRange of(byte[] address, byte[] mask) {
            byte[] network = new byte[address.length];
            for (int i = 0; i < address.length; i++) {
                network[i] = (byte) (address[i] & mask[i]);
            }
            return new IpRange(network, mask.clone());
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            for (int i = 0; i < address.length; i++) {
                if ((address[i] & mask[i]) != network[i]) {
                    return false;
                }
            }
            return true;
        }

        GeneralName toGeneralName() {
            byte[] addressAndMask = Arrays.copyOf(network, network.length * 2);
            System.arraycopy(mask, 0, addressAndMask, network.length, mask.length);
            return new GeneralName(GeneralName.iPAddress, new DEROctetString(addressAndMask));
        }

        /** {@code 10.0.0.0/8}; a mask that is not a prefix (never made here) is written out. */
        @Override
        public String toString() {
            String address;
            try {
                address = SubjectAltNames.format(InetAddress.getByAddress(network));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            int prefixLength = 0;
            while (prefixLength < mask.length * 8 && (mask[prefixLength / 8] & (0x80 >>> (prefixLength % 8))) != 0) {
                prefixLength++;
            }
            for (int bit = prefixLength; bit < mask.length * 8; bit++) {
                if ((mask[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
                    return address + "/" + HexFormat.of().formatHex(mask);
                }
            }
            return address + "/" + prefixLength;
        }
    }
}
