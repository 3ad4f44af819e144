package io.pistream.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.pistream.pki.testing.Openssl;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerCertificatesTest {

    private static final SubjectAltNames LOCAL = SubjectAltNames.parse("localhost, 127.0.0.1");

    @TempDir
    Path directory;
    PkiFiles files;
    CertificateAuthority ca;

    @BeforeEach
    void createCa() throws Exception {
        files = new PkiFiles(directory);
        ca = CertificateAuthority.loadOrCreate(files, "testhost");
    }

    @Test
    void verifiesWithOpensslAgainstTheCa() throws Exception {
        ServerCertificates.issue(ca, LOCAL).writeTo(files, "secret-1", ServerCertificates.DEFAULT_ALIAS);

        Openssl.Result verify = Openssl.run("verify", "-CAfile", files.caCertificate().toString(),
                files.serverCertificate().toString());
        assertEquals(0, verify.exitCode(), verify.output());
        assertTrue(verify.output().strip().endsWith(": OK"), verify.output());

        Openssl.Result purpose = Openssl.run("verify", "-purpose", "sslserver", "-CAfile",
                files.caCertificate().toString(), files.serverCertificate().toString());
        assertEquals(0, purpose.exitCode(), purpose.output());

        Openssl.Result text = Openssl.run("x509", "-in", files.serverCertificate().toString(), "-noout", "-text");
        assertEquals(0, text.exitCode(), text.output());
        assertTrue(text.output().contains("DNS:localhost"), text.output());
        assertTrue(text.output().contains("IP Address:127.0.0.1"), text.output());
        assertTrue(text.output().contains("TLS Web Server Authentication"), text.output());
        assertTrue(text.output().contains("CA:FALSE"), text.output());
        assertTrue(text.output().contains("X509v3 Subject Key Identifier"), text.output());
        assertTrue(text.output().contains("X509v3 Authority Key Identifier"), text.output());
    }

    @Test
    void aCertificateOfAnotherCaDoesNotVerify() throws Exception {
        PkiFiles otherFiles = new PkiFiles(directory.resolve("other"));
        CertificateAuthority.loadOrCreate(otherFiles, "other");
        ServerCertificates.issue(ca, LOCAL).writeTo(files, "secret-1", ServerCertificates.DEFAULT_ALIAS);
        Openssl.Result verify = Openssl.run("verify", "-CAfile", otherFiles.caCertificate().toString(),
                files.serverCertificate().toString());
        assertNotEquals(0, verify.exitCode(), verify.output());
    }

    @Test
    void keystoreOpensWithTheJdkAndHoldsKeyAndChainOfTwo() throws Exception {
        ServerCertificate issued = ServerCertificates.issue(ca, LOCAL);
        issued.writeTo(files, "secret-2", "pistream");

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(files.keystore())) {
            store.load(in, "secret-2".toCharArray());
        }
        assertTrue(store.isKeyEntry("pistream"));
        Key key = store.getKey("pistream", "secret-2".toCharArray());
        assertInstanceOf(PrivateKey.class, key);
        Certificate[] chain = store.getCertificateChain("pistream");
        assertEquals(2, chain.length);
        assertEquals(issued.certificate(), chain[0]);
        assertEquals(ca.certificate(), chain[1]);
        assertEquals("secret-2", Files.readString(files.keystorePassword()));

        assertThrows(java.io.IOException.class, () -> {
            try (InputStream in = Files.newInputStream(files.keystore())) {
                KeyStore.getInstance("PKCS12").load(in, "wrong".toCharArray());
            }
        });

        // OpenSSL reads it too (native-tls, gst-webrtc-signalling-server --cert/--cert-password)
        Openssl.Result pkcs12 = Openssl.run("pkcs12", "-in", files.keystore().toString(), "-passin", "pass:secret-2",
                "-nokeys", "-info");
        assertEquals(0, pkcs12.exitCode(), pkcs12.output());
        assertEquals(2, pkcs12.output().split("BEGIN CERTIFICATE", -1).length - 1, pkcs12.output());
    }

    @Test
    void pemKeyMatchesPemCertificateAndSecretsAreOwnerOnly() throws Exception {
        ServerCertificates.issue(ca, LOCAL).writeTo(files, "secret-3", "pistream");
        Openssl.Result fromKey = Openssl.run("pkey", "-in", files.serverKey().toString(), "-pubout");
        Openssl.Result fromCertificate = Openssl.run("x509", "-in", files.serverCertificate().toString(), "-noout",
                "-pubkey");
        assertEquals(0, fromKey.exitCode(), fromKey.output());
        assertEquals(fromCertificate.output(), fromKey.output());
        for (Path secret : List.of(files.serverKey(), files.keystore(), files.keystorePassword(), files.caKey())) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)),
                    secret.toString());
        }
    }

    @Test
    void eachIssueHasANewSerialAndKeyAndTheSameCa() throws Exception {
        ServerCertificate one = ServerCertificates.issue(ca, LOCAL);
        ServerCertificate two = ServerCertificates.issue(CertificateAuthority.load(files), LOCAL);
        assertNotEquals(one.serialNumber(), two.serialNumber());
        assertNotEquals(one.certificate().getPublicKey(), two.certificate().getPublicKey());
        assertArrayEquals(one.chain().get(1).getEncoded(), two.chain().get(1).getEncoded());
        assertEquals(one.certificate().getIssuerX500Principal(), ca.certificate().getSubjectX500Principal());
    }

    @Test
    void validityStaysWithinWhatBrowsersAccept() throws Exception {
        X509Certificate certificate = ServerCertificates.issue(ca, LOCAL).certificate();
        Duration validity = Duration.between(certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant());
        assertTrue(validity.compareTo(Duration.ofDays(397)) <= 0, validity.toString());
        assertTrue(validity.compareTo(Duration.ofDays(396)) > 0, validity.toString());
        assertTrue(certificate.getNotBefore().toInstant().isBefore(Instant.now()));
        assertThrows(IllegalArgumentException.class, () -> ServerCertificates.issue(ca, LOCAL, Duration.ofDays(398),
                KeyType.EC_P256, Clock.systemUTC()));
        assertThrows(IllegalArgumentException.class, () -> ServerCertificates.issue(ca, SubjectAltNames.EMPTY));
    }

    @Test
    void usagesForEcAndRsa() throws Exception {
        X509Certificate ec = ServerCertificates.issue(ca, LOCAL).certificate();
        assertTrue(ec.getKeyUsage()[0], "digitalSignature");
        assertTrue(!ec.getKeyUsage()[2], "no keyEncipherment for EC");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), ec.getExtendedKeyUsage());
        assertEquals(-1, ec.getBasicConstraints());

        ServerCertificate rsa = ServerCertificates.issue(ca, LOCAL, Duration.ofDays(30), KeyType.RSA_3072,
                Clock.systemUTC());
        assertTrue(rsa.certificate().getKeyUsage()[0] && rsa.certificate().getKeyUsage()[2]);
        rsa.writeTo(files, "secret-4", "pistream");
        Openssl.Result verify = Openssl.run("verify", "-CAfile", files.caCertificate().toString(),
                files.serverCertificate().toString());
        assertEquals(0, verify.exitCode(), verify.output());
    }

    @Test
    void renewalReasons() throws Exception {
        Instant now = Instant.now();
        Duration renewBefore = Duration.ofDays(30);
        ServerCertificate fresh = ServerCertificates.issue(ca, LOCAL);
        assertTrue(ServerCertificates.renewalReason(fresh, ca, LOCAL, renewBefore, now).isEmpty());
        // extra names in the certificate are no reason
        assertTrue(ServerCertificates.renewalReason(fresh, ca, SubjectAltNames.parse("localhost"), renewBefore, now)
                .isEmpty());

        ServerCertificate soon = ServerCertificates.issue(ca, LOCAL, Duration.ofDays(10), KeyType.EC_P256,
                Clock.systemUTC());
        assertTrue(ServerCertificates.renewalReason(soon, ca, LOCAL, renewBefore, now).orElseThrow()
                .contains("within 30 days"));
        assertTrue(ServerCertificates.renewalReason(fresh, ca, LOCAL, renewBefore, now.plus(Duration.ofDays(370)))
                .orElseThrow().contains("within 30 days"));
        assertTrue(ServerCertificates.renewalReason(fresh, ca, LOCAL, renewBefore, now.plus(Duration.ofDays(400)))
                .orElseThrow().contains("expired"));

        assertEquals("the device's names changed: it lacks DNS:new.example, IP:10.1.1.1",
                ServerCertificates.renewalReason(fresh, ca, LOCAL.plus(SubjectAltNames.parse("new.example, 10.1.1.1")),
                        renewBefore, now).orElseThrow());

        CertificateAuthority other = CertificateAuthority.loadOrCreate(new PkiFiles(directory.resolve("o")), "o");
        assertTrue(ServerCertificates.renewalReason(fresh, other, LOCAL, renewBefore, now).orElseThrow()
                .contains("not issued by the CA"));
    }
}
