package io.pistream.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds the two kinds of certificate with BouncyCastle's builder; keys, signatures and the X.509 parser are the
 * JDK's own providers, so no security provider is ever registered (which an OSGi bundle must not do globally).
 */
final class CertificateBuilder {

    static final SecureRandom RANDOM = new SecureRandom();

    /** How to get a CA that permits more names; the CA certificate itself can never change. */
    static final String REGENERATE_CA = "To add names, make a new CA that permits them: remove ca.crt and ca.key,"
            + " add the names to extra.names in etc/io.pistream.pki.cfg and restart (or run 'pistream-pki ca --permit"
            + " NAME'), then import the new ca.crt into browsers and phones again (pki/README.md)";

    private CertificateBuilder() {
    }

    /**
     * A self-signed CA: basicConstraints CA:TRUE, pathlen 0 (it signs only server certificates), critical; and name
     * constraints, critical, so that clients that trust it trust it only for {@code permitted}.
     */
    static X509Certificate authority(String commonName, KeyPair keys, Instant notBefore, Instant notAfter,
            CaNameConstraints permitted) throws PkiException {
        X500Name subject = name(commonName);
        JcaX509ExtensionUtils extensions = extensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serialNumber(),
                Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.nameConstraints, true, permitted.toExtension());
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(keys.getPublic()));
        } catch (CertIOException e) {
            throw new PkiException("cannot build the CA certificate: " + e.getMessage(), e);
        }
        return sign(builder, keys.getPrivate());
    }

    /**
     * A TLS server certificate for {@code names}, signed by the CA.
     *
     * @throws PkiException when the CA's name constraints do not permit all the names: clients would refuse it
     */
    static X509Certificate server(SubjectAltNames names, PublicKey serverKey, X509Certificate caCertificate,
            PrivateKey caKey, Instant notBefore, Instant notAfter) throws PkiException {
        Optional<CaNameConstraints> constraints = CaNameConstraints.of(caCertificate);
        if (constraints.isPresent()) {
            SubjectAltNames refused = constraints.get().notPermitted(names);
            if (!refused.isEmpty()) {
                throw new PkiException("the CA '" + caCertificate.getSubjectX500Principal().getName()
                        + "' may vouch only for " + constraints.get() + ", so it cannot issue a certificate for "
                        + refused + ". " + REGENERATE_CA);
            }
        }
        String commonName = names.first("pistream");
        if (commonName.length() > 64) { // the X.520 upper bound of a CN; browsers read only the SANs anyway
            commonName = "pistream";
        }
        JcaX509ExtensionUtils extensions = extensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, serialNumber(),
                Date.from(notBefore), Date.from(notAfter), name(commonName), serverKey);
        int keyUsage = KeyUsage.digitalSignature;
        if ("RSA".equals(serverKey.getAlgorithm())) {
            keyUsage |= KeyUsage.keyEncipherment; // RSA key exchange in TLS 1.2 clients
        }
        List<GeneralName> altNames = new ArrayList<>();
        names.dnsNames().forEach(dns -> altNames.add(new GeneralName(GeneralName.dNSName, dns)));
        for (InetAddress address : names.ipAddresses()) {
            altNames.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress())));
        }
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(altNames.toArray(new GeneralName[0])));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(serverKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(caCertificate));
        } catch (CertIOException e) {
            throw new PkiException("cannot build the server certificate: " + e.getMessage(), e);
        }
        return sign(builder, caKey);
    }

    /** The CA's own subjectKeyIdentifier, so that the link holds even for a CA made by other tools. */
    private static AuthorityKeyIdentifier authorityKeyIdentifier(X509Certificate caCertificate) throws PkiException {
        byte[] extension = caCertificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            SubjectKeyIdentifier identifier = SubjectKeyIdentifier.getInstance(
                    DEROctetString.getInstance(extension).getOctets());
            return new AuthorityKeyIdentifier(identifier.getKeyIdentifier());
        }
        return extensionUtils().createAuthorityKeyIdentifier(caCertificate.getPublicKey());
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "pistream").addRDN(BCStyle.CN, commonName)
                .build();
    }

    /** 127 random bits, positive and never zero: unique per CA, which Firefox insists on. */
    private static BigInteger serialNumber() {
        return new BigInteger(127, RANDOM).setBit(126);
    }

    private static JcaX509ExtensionUtils extensionUtils() throws PkiException {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new PkiException("no SHA-1 for key identifiers: " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) throws PkiException {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(KeyType.signatureAlgorithm(signingKey))
                            .setSecureRandom(RANDOM).build(signingKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new PkiException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }
}
