package io.pistream.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/** PEM files: certificates, and private keys in PKCS#8 ({@code BEGIN PRIVATE KEY}). */
final class Pem {

    private Pem() {
    }

    static byte[] certificates(List<X509Certificate> certificates) throws PkiException {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append(encode("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new PkiException("cannot encode a certificate: " + e.getMessage(), e);
            }
        }
        return pem.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] privateKey(PrivateKey key) throws PkiException {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new PkiException("cannot encode a " + key.getAlgorithm() + " key in " + key.getFormat() + " as PKCS#8");
        }
        return encode("PRIVATE KEY", key.getEncoded()).getBytes(StandardCharsets.US_ASCII);
    }

    private static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static List<X509Certificate> readCertificates(Path file) throws PkiException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                certificates.add((X509Certificate) certificate);
            }
            if (certificates.isEmpty()) {
                throw new PkiException(file + " holds no certificate");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw new PkiException("cannot read the certificate " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a PKCS#8 key, or an OpenSSL "traditional" EC/RSA key; encrypted keys are refused. */
    static PrivateKey readPrivateKey(Path file) throws PkiException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo) {
                    return converter.getPrivateKey((PrivateKeyInfo) object);
                }
                if (object instanceof PEMKeyPair) {
                    return converter.getKeyPair((PEMKeyPair) object).getPrivate();
                }
            }
            throw new PkiException(file + " holds no unencrypted private key (PKCS#8 'BEGIN PRIVATE KEY' expected)");
        } catch (IOException e) {
            throw new PkiException("cannot read the private key " + file + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 of the DER certificate as browsers show it: {@code AB:CD:...}. */
    static String sha256(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot hash a certificate", e);
        }
    }
}
