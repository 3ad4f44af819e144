package io.pistream.rtsp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;

import io.pistream.pki.TlsMaterial;
import io.pistream.rtsp.internal.jna.RtspLib;

/**
 * The device's server certificate as GIO's {@code GTlsCertificate}, for the RTSPS server: the same certificate and
 * key as the HTTPS connector, from the pki bundle's PEM files. Needs a GIO TLS backend (Debian package
 * {@code glib-networking}).
 */
final class TlsCertificate {

    private TlsCertificate() {
    }

    /**
     * Reads the server certificate, the CA certificate (sent as the rest of the chain) and the private key.
     *
     * @return a {@code GTlsCertificate*}, transfer full ({@code g_object_unref} when done)
     * @throws RtspServerException naming the file or GIO's reason
     */
    static Pointer load(TlsMaterial material) throws RtspServerException {
        byte[] pem = null;
        Memory nativePem = null;
        try {
            byte[] key = readableKey(material);
            byte[] certificates = concatenate(material.certificatePemPath(), material.caCertificatePath());
            pem = Arrays.copyOf(certificates, certificates.length + key.length);
            System.arraycopy(key, 0, pem, certificates.length, key.length);
            Arrays.fill(key, (byte) 0);
            nativePem = new Memory(pem.length);
            nativePem.write(0, pem, 0, pem.length);
            PointerByReference error = new PointerByReference();
            Pointer certificate = RtspLib.Gio.g_tls_certificate_new_from_pem(nativePem, new NativeLong(pem.length),
                    error);
            if (certificate == null) {
                throw new RtspServerException("the device certificate " + material.certificatePemPath()
                        + " cannot be used: " + RtspLib.takeErrorMessage(error.getValue())
                        + " (RTSPS needs GIO's TLS support, Debian package glib-networking)");
            }
            return certificate;
        } finally {
            // the private key is in there: do not leave it lying in memory longer than needed
            if (pem != null) {
                Arrays.fill(pem, (byte) 0);
            }
            if (nativePem != null) {
                nativePem.clear();
                nativePem.close();
            }
        }
    }

    /** The private key, with the public key GnuTLS needs copied in from the certificate ({@link PemPrivateKey}). */
    private static byte[] readableKey(TlsMaterial material) throws RtspServerException {
        byte[] key = concatenate(material.privateKeyPemPath());
        try (InputStream in = Files.newInputStream(material.certificatePemPath())) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] completed = PemPrivateKey.withPublicKey(key, certificate.getPublicKey().getEncoded());
            if (completed != key) {
                Arrays.fill(key, (byte) 0);
            }
            return completed;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            Arrays.fill(key, (byte) 0);
            throw new RtspServerException("the device certificate " + material.certificatePemPath() + " or its key "
                    + material.privateKeyPemPath() + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static byte[] concatenate(Path... files) throws RtspServerException {
        byte[][] parts = new byte[files.length][];
        try {
            int length = 0;
            for (int i = 0; i < files.length; i++) {
                try {
                    parts[i] = Files.readAllBytes(files[i]);
                } catch (IOException e) {
                    throw new RtspServerException("cannot read " + files[i] + " for RTSPS: " + e, e);
                }
                length += parts[i].length + 1;
            }
            byte[] joined = new byte[length];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, joined, at, part.length);
                at += part.length;
                joined[at++] = '\n';
            }
            return joined;
        } finally {
            for (byte[] part : parts) {
                if (part != null) {
                    Arrays.fill(part, (byte) 0);
                }
            }
        }
    }
}
