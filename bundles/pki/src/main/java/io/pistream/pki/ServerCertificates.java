package io.pistream.pki;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Issues TLS server certificates signed by the device's {@link CertificateAuthority}, reads them back from the
 * keystore and decides when one must be re-issued.
 *
 * <p>A server certificate has: subjectAltNames (the only names browsers match), extendedKeyUsage serverAuth,
 * keyUsage digitalSignature (and keyEncipherment for RSA), basicConstraints CA:FALSE, subject and authority key
 * identifiers, a random serial number and a new key each time.
 */
public final class ServerCertificates {

    /**
     * The longest validity, in days. Chrome and Safari refuse TLS server certificates valid for more than 398 days
     * (the CA/Browser Forum limit since September 2020; Apple also caps any TLS certificate at 825 days). The limit
     * is enforced for public CAs, but staying under it means the certificate works in every browser whatever its
     * policy for private roots; 397 leaves a day's margin for the backdated notBefore and time zones. The platform
     * re-issues the certificate automatically before it expires.
     */
    public static final int MAX_VALIDITY_DAYS = 397;

    /** The alias of the key entry in {@code keystore.p12}. */
    public static final String DEFAULT_ALIAS = "pistream";

    private ServerCertificates() {
    }

    /** An EC P-256 certificate for {@code names}, valid for {@value #MAX_VALIDITY_DAYS} days (or until the CA ends). */
    public static ServerCertificate issue(CertificateAuthority ca, SubjectAltNames names) throws PkiException {
        return issue(ca, names, Duration.ofDays(MAX_VALIDITY_DAYS), KeyType.EC_P256, Clock.systemUTC());
    }

    /**
     * A certificate for {@code names} with a new {@code keyType} key, valid from an hour ago for {@code validity}
     * (at most {@value #MAX_VALIDITY_DAYS} days), but never beyond the CA's own end.
     */
    public static ServerCertificate issue(CertificateAuthority ca, SubjectAltNames names, Duration validity,
            KeyType keyType, Clock clock) throws PkiException {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one name");
        }
        if (validity.isNegative() || validity.isZero() || validity.compareTo(Duration.ofDays(MAX_VALIDITY_DAYS)) > 0) {
            throw new IllegalArgumentException("validity must be between 1 second and " + MAX_VALIDITY_DAYS
                    + " days, not " + validity.toDays() + " days");
        }
        Instant now = CertificateAuthority.checkClock(clock);
        PrivateKey caKey = ca.privateKey(); // fails at once if the CA is kept elsewhere
        if (!ca.notAfter().isAfter(now)) {
            throw new PkiException("the CA " + ca.certificatePath() + " expired on " + ca.notAfter()
                    + ": remove ca.crt and ca.key to create a new one (browsers and phones must import it again)");
        }
        Instant notBefore = now.minus(CertificateAuthority.BACKDATE);
        Instant notAfter = notBefore.plus(validity);
        if (notAfter.isAfter(ca.notAfter())) {
            notAfter = ca.notAfter();
        }
        KeyPair keys = keyType.generate(CertificateBuilder.RANDOM);
        X509Certificate certificate = CertificateBuilder.server(names, keys.getPublic(), ca.certificate(), caKey,
                notBefore, notAfter);
        return new ServerCertificate(List.of(certificate, ca.certificate()), keys.getPrivate());
    }

    /** The key entry {@code alias} of {@code keystore.p12}, opened with {@code password}. */
    public static ServerCertificate load(PkiFiles files, String password, String alias) throws PkiException {
        try (InputStream in = Files.newInputStream(files.keystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            Key key = store.getKey(alias, password.toCharArray());
            Certificate[] chain = store.getCertificateChain(alias);
            if (!(key instanceof PrivateKey) || chain == null || chain.length == 0) {
                throw new PkiException(files.keystore() + " has no key entry '" + alias + "'");
            }
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : chain) {
                certificates.add((X509Certificate) certificate);
            }
            return new ServerCertificate(certificates, (PrivateKey) key);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new PkiException("cannot open " + files.keystore() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why {@code current} must be re-issued, or empty if it can stay: it was not signed by {@code ca} (or its chain
     * lacks the CA certificate), it is not valid yet, it expires within {@code renewBefore}, or it lacks one of the
     * {@code wanted} names. Extra names in the certificate are no reason: an interface that is down for a moment
     * does not cause a new certificate.
     */
    public static Optional<String> renewalReason(ServerCertificate current, CertificateAuthority ca,
            SubjectAltNames wanted, Duration renewBefore, Instant now) {
        X509Certificate certificate = current.certificate();
        try {
            certificate.verify(ca.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("it was not issued by the CA " + ca.certificatePath());
        }
        try {
            if (current.chain().size() < 2
                    || !Arrays.equals(current.chain().get(1).getEncoded(), ca.certificate().getEncoded())) {
                return Optional.of("its chain does not hold the CA certificate");
            }
        } catch (GeneralSecurityException e) {
            return Optional.of("its chain cannot be read");
        }
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (certificate.getNotBefore().toInstant().isAfter(now)) {
            return Optional.of("it is not valid before " + certificate.getNotBefore().toInstant()
                    + " (the clock went back)");
        }
        if (!notAfter.isAfter(now)) {
            return Optional.of("it expired on " + notAfter);
        }
        // a certificate that already ends with the CA cannot be extended by re-issuing it
        if (notAfter.isBefore(now.plus(renewBefore)) && notAfter.isBefore(ca.notAfter())) {
            return Optional.of("it expires on " + notAfter + ", within " + renewBefore.toDays() + " days");
        }
        SubjectAltNames missing = wanted.missingFrom(current.names());
        if (!missing.isEmpty()) {
            return Optional.of("the device's names changed: it lacks " + missing);
        }
        return Optional.empty();
    }
}
