package io.pistream.pki;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Key;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** Key algorithms for the CA and server certificates. */
public enum KeyType {

    /**
     * ECDSA on NIST P-256 (secp256r1), signatures with SHA-256. The default: every current browser, Android (5+) and
     * iOS accept it for CAs and TLS servers, as do Jetty, OpenSSL, GnuTLS and rustls; keys are small and a Raspberry
     * Pi makes and uses them quickly. (Ed25519 would be smaller still, but browsers do not accept it in certificates.)
     */
    EC_P256,

    /** RSA with a 3072-bit modulus, signatures with SHA-256 (PKCS#1 v1.5): for clients that cannot do ECDSA. */
    RSA_3072;

    /** {@code ec} or {@code rsa}, as on the command line. */
    public static KeyType parse(String name) {
        switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "ec":
            case "ecdsa":
            case "p256":
            case "p-256":
                return EC_P256;
            case "rsa":
                return RSA_3072;
            default:
                throw new IllegalArgumentException("unknown key type '" + name + "' (use ec or rsa)");
        }
    }

    KeyPair generate(SecureRandom random) throws PkiException {
        try {
            if (this == EC_P256) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), random);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072, random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate a " + this + " key: " + e.getMessage(), e);
        }
    }

    /** The signature algorithm a CA with this private key signs with. */
    static String signatureAlgorithm(Key signingKey) throws PkiException {
        switch (signingKey.getAlgorithm()) {
            case "EC":
            case "ECDSA":
                return "SHA256withECDSA";
            case "RSA":
                return "SHA256withRSA";
            default:
                throw new PkiException("unsupported CA key algorithm " + signingKey.getAlgorithm() + " (use EC or RSA)");
        }
    }
}
