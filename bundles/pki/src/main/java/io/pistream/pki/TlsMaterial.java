package io.pistream.pki;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The device's TLS server identity, registered as an OSGi service once the keystore exists. Pax Web's HTTPS
 * connector is pointed at {@link #keystorePath()}; other TLS servers (RTSPS in gst-rtsp-server, an external
 * signalling server's {@code --cert/--key}) use the PEM files.
 *
 * <p>The paths stay the same when the certificate is re-issued; the service property {@link #CERTIFICATE_SHA256}
 * changes then, so a consumer with a dynamic reference and an updated method can reload.
 */
@ProviderType
public interface TlsMaterial {

    /** Service property: SHA-256 fingerprint of the current server certificate ({@code AB:CD:...}). */
    String CERTIFICATE_SHA256 = "pki.certificate.sha256";

    /** Service property: when the current server certificate expires (ISO-8601 instant). */
    String CERTIFICATE_NOT_AFTER = "pki.certificate.notAfter";

    /** The PKCS12 keystore with the server key and its chain (server, CA). */
    Path keystorePath();

    /** Always {@code PKCS12}. */
    default String keystoreType() {
        return "PKCS12";
    }

    /** The password of the keystore and of its key entry. */
    String keystorePassword();

    /** The alias of the key entry in the keystore. */
    String keyAlias();

    /** {@code ca.crt}: the CA certificate users import into browsers and phones. */
    Path caCertificatePath();

    /** The server certificate, PEM. */
    Path certificatePemPath();

    /** The server's private key, PKCS#8 PEM, readable only by the owner. */
    Path privateKeyPemPath();
}
