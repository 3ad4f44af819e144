package io.pistream.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The device's private certificate authority: {@code ca.crt} (users import it once as a trusted root) and
 * {@code ca.key} (0600, never copied anywhere else). It signs only server certificates (pathlen 0) and is kept across
 * re-issues, so a browser that trusts it keeps trusting every later certificate. Its {@link CaNameConstraints name
 * constraints} limit it to the device's names and the local network: trusting it cannot let it vouch for other sites.
 * CAs made by earlier versions have none; they keep working, and {@link #nameConstraints()} tells them apart.
 *
 * <p>A directory may also hold {@code ca.crt} without {@code ca.key}: the CA lives on another machine (made there with
 * {@code pki/pistream-pki}) and this one only uses the certificates issued there. Such a CA {@link #canIssue()
 * cannot issue}.
 */
public final class CertificateAuthority {

    /** Ten years: users import the CA once per device. */
    public static final Duration VALIDITY = Duration.ofDays(3652);

    /**
     * Certificates are never made while the clock reads earlier than this. A Raspberry Pi has no real-time clock
     * and may boot at 1970 until NTP has synchronised; a certificate made then would be expired from the start.
     */
    public static final Instant EARLIEST_PLAUSIBLE_TIME = Instant.parse("2025-01-01T00:00:00Z");

    /** notBefore is set this far in the past, for clients whose clocks run a little behind. */
    static final Duration BACKDATE = Duration.ofHours(1);

    private final PkiFiles files;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final boolean created;
    private final CaNameConstraints nameConstraints;

    private CertificateAuthority(PkiFiles files, X509Certificate certificate, PrivateKey privateKey,
            boolean created) throws PkiException {
        this.files = files;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.created = created;
        this.nameConstraints = CaNameConstraints.of(certificate).orElse(null);
    }

    /** Whether the directory holds a CA (or part of one). */
    public static boolean exists(PkiFiles files) {
        return Files.exists(files.caCertificate()) || Files.exists(files.caKey());
    }

    /**
     * The CA of the directory, created (EC P-256) if it has none, permitting the names of a device called
     * {@code hostname} ({@link DeviceNames#of}) besides the local ones.
     */
    public static CertificateAuthority loadOrCreate(PkiFiles files, String hostname) throws PkiException {
        return loadOrCreate(files, hostname, KeyType.EC_P256, Clock.systemUTC());
    }

    /**
     * The CA of the directory, created with a {@code keyType} key if it has none, permitting the names of a device
     * called {@code hostname} ({@link DeviceNames#of}) besides the local ones.
     */
    public static CertificateAuthority loadOrCreate(PkiFiles files, String hostname, KeyType keyType, Clock clock)
            throws PkiException {
        return loadOrCreate(files, hostname, DeviceNames.of(hostname, List.of()), keyType, clock);
    }

    /**
     * The CA of the directory, created with a {@code keyType} key if it has none. A new CA may vouch for
     * {@code permittedNames} and the local names and ranges of {@link CaNameConstraints}, and for nothing else. A
     * directory with only part of a CA is never given a new one (users would have to import it again): {@code ca.crt}
     * alone is a CA kept elsewhere, {@code ca.key} alone is an error.
     */
    public static CertificateAuthority loadOrCreate(PkiFiles files, String hostname, SubjectAltNames permittedNames,
            KeyType keyType, Clock clock) throws PkiException {
        if (exists(files)) {
            return load(files);
        }
        return create(files, hostname, CaNameConstraints.forNames(permittedNames), keyType, clock);
    }

    /** The CA of the directory; {@code ca.crt} must exist, and {@code ca.key} if the CA is to issue. */
    public static CertificateAuthority load(PkiFiles files) throws PkiException {
        boolean hasCertificate = Files.isRegularFile(files.caCertificate());
        boolean hasKey = Files.isRegularFile(files.caKey());
        if (!hasCertificate) {
            throw new PkiException(files.caCertificate() + " is missing" + (hasKey ? " (but " + files.caKey()
                    + " is there): restore it from a backup, or remove both to create a new CA (browsers and phones"
                    + " must then import the new ca.crt)" : ""));
        }
        List<X509Certificate> certificates = Pem.readCertificates(files.caCertificate());
        X509Certificate certificate = certificates.get(0);
        if (certificate.getBasicConstraints() < 0) {
            throw new PkiException(files.caCertificate() + " is not a CA certificate (no basicConstraints CA:TRUE)");
        }
        if (!hasKey) {
            return new CertificateAuthority(files, certificate, null, false);
        }
        PrivateKey key = Pem.readPrivateKey(files.caKey());
        if (!belongTogether(certificate, key)) {
            throw new PkiException(files.caKey() + " is not the private key of " + files.caCertificate());
        }
        PkiFiles.restrict(files.caKey());
        return new CertificateAuthority(files, certificate, key, false);
    }

    private static CertificateAuthority create(PkiFiles files, String hostname, CaNameConstraints permitted,
            KeyType keyType, Clock clock) throws PkiException {
        Instant now = checkClock(clock);
        KeyPair keys = keyType.generate(CertificateBuilder.RANDOM);
        // a random suffix tells apart the CAs of devices with the same name ("raspberrypi"): a browser that trusts
        // one must not be confused by another with an identical subject
        byte[] id = new byte[4];
        CertificateBuilder.RANDOM.nextBytes(id);
        String host = hostname == null ? "" : hostname.strip();
        if (host.length() > 36) {
            host = host.substring(0, 36);
        }
        String commonName = ("pistream CA " + host + " " + HexFormat.of().formatHex(id)).replace("  ", " ");
        Instant notBefore = now.minus(BACKDATE);
        X509Certificate certificate = CertificateBuilder.authority(commonName, keys, notBefore,
                notBefore.plus(VALIDITY), permitted);
        files.createDirectory();
        files.writeSecret(files.caKey(), Pem.privateKey(keys.getPrivate())); // the key first: a lone ca.crt is useless
        files.writePublic(files.caCertificate(), Pem.certificates(List.of(certificate)));
        return new CertificateAuthority(files, certificate, keys.getPrivate(), true);
    }

    /** The clock's time, if it is plausible. */
    static Instant checkClock(Clock clock) throws PkiException {
        Instant now = clock.instant();
        if (now.isBefore(EARLIEST_PLAUSIBLE_TIME)) {
            throw new PkiException("the system clock reads " + now + ", which cannot be right: no certificate is made"
                    + " until the time is set (NTP)");
        }
        return now;
    }

    private static boolean belongTogether(X509Certificate certificate, PrivateKey key) throws PkiException {
        try {
            byte[] challenge = new byte[32];
            CertificateBuilder.RANDOM.nextBytes(challenge);
            String algorithm = KeyType.signatureAlgorithm(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** {@code ca.crt}: the file users import. */
    public Path certificatePath() {
        return files.caCertificate();
    }

    public PkiFiles files() {
        return files;
    }

    /** Whether this CA was made by the call that returned it (rather than loaded). */
    public boolean wasCreated() {
        return created;
    }

    public String subject() {
        return certificate.getSubjectX500Principal().getName();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** SHA-256 fingerprint, {@code AB:CD:...}, as browsers and phones show it. */
    public String sha256Fingerprint() {
        return Pem.sha256(certificate);
    }

    /** The names this CA may vouch for; empty for a CA without name constraints (made by an earlier version). */
    public Optional<CaNameConstraints> nameConstraints() {
        return Optional.ofNullable(nameConstraints);
    }

    /** Whether {@code ca.key} is here, so that this CA can issue certificates. */
    public boolean canIssue() {
        return privateKey != null;
    }

    PrivateKey privateKey() throws PkiException {
        if (privateKey == null) {
            throw new PkiException(files.caKey() + " is not here, so no certificate can be issued here: the CA is kept"
                    + " on another machine. Issue the certificate there (pki/pistream-pki issue --name ... --ip ...)"
                    + " and copy keystore.p12, keystore.password, server.crt and server.key into " + files.directory());
        }
        return privateKey;
    }
}
