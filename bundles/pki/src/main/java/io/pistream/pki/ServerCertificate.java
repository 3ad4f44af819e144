package io.pistream.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/** A server certificate with its private key and chain (server, CA), as issued or as read from a keystore. */
public final class ServerCertificate {

    private final List<X509Certificate> chain;
    private final PrivateKey privateKey;

    ServerCertificate(List<X509Certificate> chain, PrivateKey privateKey) {
        this.chain = List.copyOf(chain);
        this.privateKey = privateKey;
    }

    /** The server's own certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The server certificate, then the CA certificate. */
    public List<X509Certificate> chain() {
        return chain;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public SubjectAltNames names() {
        return SubjectAltNames.of(certificate());
    }

    public BigInteger serialNumber() {
        return certificate().getSerialNumber();
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** SHA-256 fingerprint of the server certificate, {@code AB:CD:...}. */
    public String sha256Fingerprint() {
        return Pem.sha256(certificate());
    }

    /**
     * Writes {@code keystore.password}, {@code keystore.p12} (PKCS12: the key and the chain under {@code alias},
     * protected by {@code password}), {@code server.crt} and {@code server.key} (PKCS#8 PEM).
     */
    public void writeTo(PkiFiles files, String password, String alias) throws PkiException {
        if (password == null || password.isEmpty()) {
            throw new PkiException("a keystore password is required");
        }
        byte[] keystore;
        try {
            // the JDK's PKCS12 (Java 17: AES-256 key and certificate protection, HMAC-SHA256), which Jetty reads
            // and OpenSSL 1.1.1+ (native-tls, gst-webrtc-signalling-server --cert) opens
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, privateKey, password.toCharArray(), chain.toArray(new Certificate[0]));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password.toCharArray());
            keystore = out.toByteArray();
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot build the PKCS12 keystore: " + e.getMessage(), e);
        }
        files.createDirectory();
        files.writeSecret(files.keystorePassword(), password.getBytes(StandardCharsets.UTF_8));
        files.writeSecret(files.keystore(), keystore);
        files.writeSecret(files.serverKey(), Pem.privateKey(privateKey));
        files.writePublic(files.serverCertificate(), Pem.certificates(List.of(certificate())));
    }

    @Override
    public String toString() {
        return certificate().getSubjectX500Principal().getName() + " [" + names() + "] until " + notAfter();
    }
}
