package io.pistream.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

import io.pistream.pki.testing.Openssl;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CA made here may vouch only for the device and the local network: a certificate it signed for another site is
 * refused by the JDK's PKIX validator and by OpenSSL, whoever made that certificate with the CA's key.
 */
class CaNameConstraintsTest {

    private static final SubjectAltNames DEVICE = SubjectAltNames.parse(
            "raspberrypi, raspberrypi.local, localhost, 127.0.0.1, ::1, 192.168.1.20, 2001:db8::20");
    private static final SubjectAltNames EXTRA = SubjectAltNames.parse("cam.example.org, 203.0.113.7");

    @TempDir
    Path directory;
    PkiFiles files;
    CertificateAuthority ca;

    @BeforeEach
    void createCa() throws Exception {
        files = new PkiFiles(directory.resolve("device"));
        ca = CertificateAuthority.loadOrCreate(files, "raspberrypi", DEVICE.plus(EXTRA), KeyType.EC_P256,
                Clock.systemUTC());
    }

    @Test
    void theCaCarriesCriticalNameConstraintsForTheDeviceAndTheLocalNetwork() throws Exception {
        X509Certificate certificate = ca.certificate();
        assertTrue(certificate.getCriticalExtensionOIDs().contains(Extension.nameConstraints.getId()));
        NameConstraints constraints = NameConstraints.getInstance(ASN1OctetString.getInstance(
                certificate.getExtensionValue(Extension.nameConstraints.getId())).getOctets());
        assertNull(constraints.getExcludedSubtrees());

        List<String> dns = new ArrayList<>();
        List<String> ip = new ArrayList<>();
        for (GeneralSubtree subtree : constraints.getPermittedSubtrees()) {
            GeneralName base = subtree.getBase();
            if (base.getTagNo() == GeneralName.dNSName) {
                dns.add(ASN1IA5String.getInstance(base.getName()).getString());
            } else {
                assertEquals(GeneralName.iPAddress, base.getTagNo());
                ip.add(range(ASN1OctetString.getInstance(base.getName()).getOctets()));
            }
        }
        // raspberrypi.local is under local already; the public addresses are permitted one by one
        assertEquals(List.of("local", "localhost", "raspberrypi", "cam.example.org"), dns);
        assertEquals(List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                "169.254.0.0/16", "fc00::/7", "fe80::/10", "2001:db8::20/128", "203.0.113.7/32"), ip);
        assertEquals("DNS:local, DNS:localhost, DNS:raspberrypi, DNS:cam.example.org, IP:127.0.0.0/8, IP:::1/128, "
                + "IP:10.0.0.0/8, IP:172.16.0.0/12, IP:192.168.0.0/16, IP:169.254.0.0/16, IP:fc00::/7, IP:fe80::/10, "
                + "IP:2001:db8::20/128, IP:203.0.113.7/32", ca.nameConstraints().orElseThrow().toString());

        Openssl.Result text = Openssl.run("x509", "-in", files.caCertificate().toString(), "-noout", "-text");
        assertTrue(text.output().contains("X509v3 Name Constraints: critical"), text.output());
        assertTrue(text.output().contains("DNS:local"), text.output());
        assertTrue(text.output().contains("IP:192.168.0.0/255.255.0.0"), text.output());
    }

    @Test
    void aServerCertificateForTheDevicesNamesPassesPkixValidation() throws Exception {
        ServerCertificate server = ServerCertificates.issue(ca, DEVICE.plus(EXTRA));
        validate(server.certificate()); // throws if refused
        for (String name : List.of("raspberrypi.local", "cam.local", "localhost", "10.1.2.3", "fd12:3456::1",
                "fe80::1", "172.31.255.254")) {
            validate(ServerCertificates.issue(ca, SubjectAltNames.parse(name)).certificate());
        }

        ServerCertificates.issue(ca, DEVICE).writeTo(files, "pw", ServerCertificates.DEFAULT_ALIAS);
        Openssl.Result verify = Openssl.run("verify", "-CAfile", files.caCertificate().toString(),
                files.serverCertificate().toString());
        assertEquals(0, verify.exitCode(), verify.output());
    }

    @Test
    void aCertificateForAnotherSiteSignedWithTheCaKeyFailsPkixValidation() throws Exception {
        PrivateKey caKey = Pem.readPrivateKey(files.caKey());
        for (String site : List.of("www.example.com", "8.8.8.8", "2001:4860:4860::8888", "local.example.com",
                "172.32.0.1", "raspberrypi.example.com")) {
            X509Certificate forged = forgeServerCertificate(site, ca.certificate(), caKey);
            CertPathValidatorException refused = assertThrows(CertPathValidatorException.class,
                    () -> validate(forged), site);
            assertTrue(refused.getMessage().toLowerCase().contains("name constraint")
                    || String.valueOf(refused.getCause()).toLowerCase().contains("name constraint"),
                    site + ": " + refused);

            Path file = directory.resolve("forged.crt");
            Files.write(file, Pem.certificates(List.of(forged)));
            Openssl.Result verify = Openssl.run("verify", "-CAfile", files.caCertificate().toString(),
                    file.toString());
            assertTrue(verify.exitCode() != 0 && verify.output().contains("subtree violation"),
                    site + ": " + verify.output());
        }
    }

    @Test
    void theSameForgeryPassesWithACaWithoutConstraintsWhichIsWhyTheyMatter() throws Exception {
        KeyPair keys = KeyType.EC_P256.generate(CertificateBuilder.RANDOM);
        X509Certificate unconstrained = selfSignedCaWithoutNameConstraints(keys);
        validate(forgeServerCertificate("www.example.com", unconstrained, keys.getPrivate()), unconstrained);
    }

    @Test
    void theBuilderRefusesAServerCertificateOutsideTheConstraints() {
        PkiException refused = assertThrows(PkiException.class,
                () -> ServerCertificates.issue(ca, SubjectAltNames.parse("localhost, www.example.com, 8.8.8.8")));
        assertTrue(refused.getMessage().contains("cannot issue a certificate for DNS:www.example.com, IP:8.8.8.8"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("remove ca.crt and ca.key"), refused.getMessage());
        assertTrue(refused.getMessage().contains("extra.names"), refused.getMessage());
    }

    @Test
    void aCaOfAnEarlierVersionWithoutConstraintsKeepsWorking() throws Exception {
        PkiFiles old = new PkiFiles(directory.resolve("old"));
        KeyPair keys = KeyType.EC_P256.generate(CertificateBuilder.RANDOM);
        old.createDirectory();
        old.writeSecret(old.caKey(), Pem.privateKey(keys.getPrivate()));
        old.writePublic(old.caCertificate(), Pem.certificates(List.of(selfSignedCaWithoutNameConstraints(keys))));

        CertificateAuthority loaded = CertificateAuthority.loadOrCreate(old, "raspberrypi", DEVICE, KeyType.EC_P256,
                Clock.systemUTC());
        assertFalse(loaded.wasCreated());
        assertTrue(loaded.nameConstraints().isEmpty());
        ServerCertificate server = ServerCertificates.issue(loaded, DEVICE.plus(SubjectAltNames.parse("pi.example")));
        validate(server.certificate(), loaded.certificate());
    }

    @Test
    void dnsEntriesCoverTheNamesBelowThemAndAddressesTheirRanges() {
        CaNameConstraints constraints = ca.nameConstraints().orElseThrow();
        for (String permitted : List.of("local", "pi.local", "a.b.local", "LOCALHOST", "raspberrypi",
                "www.raspberrypi", "cam.example.org", "x.cam.example.org")) {
            assertTrue(constraints.permits(permitted), permitted);
        }
        for (String refused : List.of("notlocal", "local.example", "localhost.example.com", "example.org",
                "raspberrypi.org", "pi")) {
            assertFalse(constraints.permits(refused), refused);
        }
        for (String permitted : List.of("127.8.9.10", "10.255.255.255", "172.16.0.0", "172.31.255.255",
                "192.168.200.1", "169.254.1.1", "::1", "fc00::1", "fdff:ffff::1", "fe80::1", "febf::1",
                "203.0.113.7", "2001:db8::20")) {
            assertTrue(constraints.permits(address(permitted)), permitted);
        }
        for (String refused : List.of("8.8.8.8", "172.15.255.255", "172.32.0.0", "192.169.0.1", "11.0.0.1",
                "203.0.113.8", "::2", "fec0::1", "2001:db8::21", "2001:4860:4860::8888")) {
            assertFalse(constraints.permits(address(refused)), refused);
        }
        assertEquals(SubjectAltNames.parse("www.example.com, 8.8.8.8"),
                constraints.notPermitted(SubjectAltNames.parse("pi.local, www.example.com, 10.0.0.1, 8.8.8.8")));
        assertEquals(SubjectAltNames.parse("pi.local, 10.0.0.1"),
                constraints.permitted(SubjectAltNames.parse("pi.local, www.example.com, 10.0.0.1, 8.8.8.8")));
    }

    /** Validates {@code leaf} with the JDK's PKIX validator, trusting only the CA made here. */
    private void validate(X509Certificate leaf) throws Exception {
        validate(leaf, ca.certificate());
    }

    /**
     * Browsers, NSS, OpenSSL and Apple apply the name constraints of a trusted root certificate. The JDK's validator
     * reads nothing from a trust anchor's certificate but its key (and refuses name constraints given with an
     * anchor), so the anchor is the CA's name and key, and the CA certificate is the top of the path: there the
     * validator applies its name constraints to the certificates below, as RFC 5280 (6.1) says.
     */
    private static void validate(X509Certificate leaf, X509Certificate trusted) throws Exception {
        TrustAnchor anchor = new TrustAnchor(trusted.getSubjectX500Principal(), trusted.getPublicKey(), null);
        PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf, trusted)), parameters);
    }

    /** What anyone holding the CA key could make, without this project's builder and its checks. */
    private static X509Certificate forgeServerCertificate(String site, X509Certificate issuer, PrivateKey issuerKey)
            throws Exception {
        KeyPair keys = KeyType.EC_P256.generate(CertificateBuilder.RANDOM);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(42),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
                new X500Name("CN=" + site), keys.getPublic());
        GeneralName name = SubjectAltNames.parseIpAddress(site)
                .map(address -> new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress())))
                .orElseGet(() -> new GeneralName(GeneralName.dNSName, site));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(name));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    /** A CA as earlier versions made them: no name constraints. */
    private static X509Certificate selfSignedCaWithoutNameConstraints(KeyPair keys) throws Exception {
        X500Name subject = new X500Name("O=pistream,CN=pistream CA old");
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(7),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), subject,
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }

    private static InetAddress address(String text) {
        return SubjectAltNames.parseIpAddress(text).orElseThrow();
    }

    /** {@code 10.0.0.0/8} from the address and mask bytes of a name constraint. */
    private static String range(byte[] addressAndMask) throws Exception {
        int half = addressAndMask.length / 2;
        byte[] address = java.util.Arrays.copyOf(addressAndMask, half);
        int prefixLength = 0;
        for (int i = half; i < addressAndMask.length; i++) {
            prefixLength += Integer.bitCount(addressAndMask[i] & 0xff);
        }
        return SubjectAltNames.format(InetAddress.getByAddress(address)) + "/" + prefixLength;
    }
}
