package io.pistream.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.pistream.pki.testing.Openssl;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    @TempDir
    Path directory;

    @Test
    void isCreatedOnceThenReused() throws Exception {
        PkiFiles files = new PkiFiles(directory.resolve("pki"));
        CertificateAuthority first = CertificateAuthority.loadOrCreate(files, "raspberrypi");
        assertTrue(first.wasCreated());
        byte[] certificate = Files.readAllBytes(files.caCertificate());
        byte[] key = Files.readAllBytes(files.caKey());

        CertificateAuthority second = CertificateAuthority.loadOrCreate(files, "other-name");
        assertFalse(second.wasCreated());
        assertArrayEquals(certificate, Files.readAllBytes(files.caCertificate()));
        assertArrayEquals(key, Files.readAllBytes(files.caKey()));
        assertEquals(first.certificate(), second.certificate());
        assertEquals(first.sha256Fingerprint(), second.sha256Fingerprint());
    }

    @Test
    void keyIsPkcs8AndOwnerOnlyCertificateIsReadable() throws Exception {
        PkiFiles files = new PkiFiles(directory);
        CertificateAuthority.loadOrCreate(files, "raspberrypi");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.caKey())));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.caCertificate())));
        assertTrue(Files.readString(files.caKey()).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        Openssl.Result key = Openssl.run("pkey", "-in", files.caKey().toString(), "-noout", "-text");
        assertEquals(0, key.exitCode(), key.output());
        assertTrue(key.output().contains("prime256v1"), key.output());
    }

    @Test
    void widenedKeyPermissionsAreTightenedOnLoad() throws Exception {
        PkiFiles files = new PkiFiles(directory);
        CertificateAuthority.loadOrCreate(files, "raspberrypi");
        Files.setPosixFilePermissions(files.caKey(), PosixFilePermissions.fromString("rw-r--r--"));
        CertificateAuthority.load(files);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.caKey())));
    }

    @Test
    void isARootThatSignsOnlyCertificates() throws Exception {
        PkiFiles files = new PkiFiles(directory);
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(files, "raspberrypi");
        X509Certificate certificate = ca.certificate();
        assertEquals(0, certificate.getBasicConstraints()); // CA:TRUE, pathlen 0
        assertTrue(certificate.getCriticalExtensionOIDs().contains("2.5.29.19"));
        assertTrue(certificate.getCriticalExtensionOIDs().contains("2.5.29.15"));
        boolean[] usage = certificate.getKeyUsage();
        assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
        assertFalse(usage[0], "no digitalSignature");
        assertTrue(ca.subject().contains("CN=pistream CA raspberrypi "), ca.subject());
        Duration validity = Duration.between(certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
        assertTrue(validity.toDays() >= 3650, validity.toString());

        Openssl.Result text = Openssl.run("x509", "-in", files.caCertificate().toString(), "-noout", "-text");
        assertEquals(0, text.exitCode(), text.output());
        assertTrue(text.output().contains("CA:TRUE, pathlen:0"), text.output());
        assertTrue(text.output().contains("Certificate Sign, CRL Sign"), text.output());
        assertTrue(text.output().contains("ecdsa-with-SHA256"), text.output());
    }

    @Test
    void aCaCertificateWithoutItsKeyIsACaKeptElsewhereNotANewCa() throws Exception {
        PkiFiles files = new PkiFiles(directory);
        CertificateAuthority.loadOrCreate(files, "raspberrypi");
        byte[] certificate = Files.readAllBytes(files.caCertificate());
        Files.delete(files.caKey());

        CertificateAuthority elsewhere = CertificateAuthority.loadOrCreate(files, "x");
        assertFalse(elsewhere.wasCreated());
        assertFalse(elsewhere.canIssue());
        assertArrayEquals(certificate, Files.readAllBytes(files.caCertificate()));
        assertFalse(Files.exists(files.caKey()));
        PkiException e = assertThrows(PkiException.class,
                () -> ServerCertificates.issue(elsewhere, SubjectAltNames.parse("localhost")));
        assertTrue(e.getMessage().contains("ca.key is not here"), e.getMessage());
    }

    @Test
    void aCaKeyWithoutItsCertificateIsAnError() throws Exception {
        PkiFiles files = new PkiFiles(directory);
        CertificateAuthority.loadOrCreate(files, "raspberrypi");
        byte[] key = Files.readAllBytes(files.caKey());
        Files.delete(files.caCertificate());
        PkiException e = assertThrows(PkiException.class, () -> CertificateAuthority.loadOrCreate(files, "x"));
        assertTrue(e.getMessage().contains("ca.crt is missing"), e.getMessage());
        assertArrayEquals(key, Files.readAllBytes(files.caKey()));
        assertFalse(Files.exists(files.caCertificate()));
    }

    @Test
    void aKeyOfAnotherCaIsRefused() throws Exception {
        PkiFiles one = new PkiFiles(directory.resolve("one"));
        PkiFiles two = new PkiFiles(directory.resolve("two"));
        CertificateAuthority.loadOrCreate(one, "a");
        CertificateAuthority.loadOrCreate(two, "b");
        Files.copy(two.caKey(), one.caKey(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PkiException e = assertThrows(PkiException.class, () -> CertificateAuthority.load(one));
        assertTrue(e.getMessage().contains("is not the private key of"), e.getMessage());
    }

    @Test
    void noCaWhileTheClockIsNotSet() {
        PkiFiles files = new PkiFiles(directory);
        Clock boot = Clock.fixed(Instant.parse("1970-01-01T00:00:10Z"), ZoneOffset.UTC);
        PkiException e = assertThrows(PkiException.class,
                () -> CertificateAuthority.loadOrCreate(files, "pi", KeyType.EC_P256, boot));
        assertTrue(e.getMessage().contains("system clock"), e.getMessage());
        assertFalse(Files.exists(files.caKey()));
    }
}
