package io.pistream.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/**
 * The JDK's PKCS#8 EC keys lack the public key GnuTLS needs; it is copied in from the certificate's public key and
 * the key stays the same key. (That GIO then accepts it is shown by the RTSPS test in {@link RtspAccessTest}.)
 */
class PemPrivateKeyTest {

    @Test
    void anEcKeyGetsItsPublicKeyAndStaysTheSameKey() throws Exception {
        KeyPair keys = ec();
        byte[] jdk = keys.getPrivate().getEncoded();
        byte[] point = publicPoint(keys.getPublic().getEncoded());
        assertEquals(-1, indexOf(jdk, point), "the JDK leaves the public key out");

        byte[] completed = PemPrivateKey.completeEcKey(jdk, keys.getPublic().getEncoded());
        assertNotNull(completed);
        assertTrue(indexOf(completed, point) > 0, "the public key is in");
        ECPrivateKey read = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(completed));
        assertEquals(((ECPrivateKey) keys.getPrivate()).getS(), read.getS());
        assertNull(PemPrivateKey.completeEcKey(completed, keys.getPublic().getEncoded()), "already complete");
    }

    @Test
    void pemIsRewrittenOnlyWhenItNeedsTo() throws Exception {
        KeyPair keys = ec();
        byte[] pem = pem(keys.getPrivate().getEncoded());
        byte[] completed = PemPrivateKey.withPublicKey(pem, keys.getPublic().getEncoded());
        String text = new String(completed, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("-----BEGIN PRIVATE KEY-----\n") && text.endsWith("-----END PRIVATE KEY-----\n"),
                text);
        assertSame(completed, PemPrivateKey.withPublicKey(completed, keys.getPublic().getEncoded()));

        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair rsaKeys = rsa.generateKeyPair();
        byte[] rsaPem = pem(rsaKeys.getPrivate().getEncoded());
        assertSame(rsaPem, PemPrivateKey.withPublicKey(rsaPem, rsaKeys.getPublic().getEncoded()), "RSA as it is");
        byte[] traditional = "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.US_ASCII);
        assertSame(traditional, PemPrivateKey.withPublicKey(traditional, keys.getPublic().getEncoded()));
    }

    @Test
    void garbageIsRefusedWithAReason() throws Exception {
        KeyPair keys = ec();
        byte[] cut = Arrays.copyOf(keys.getPrivate().getEncoded(), 20);
        assertThrows(IllegalArgumentException.class,
                () -> PemPrivateKey.completeEcKey(cut, keys.getPublic().getEncoded()));
        byte[] rsaPublic = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic().getEncoded();
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> PemPrivateKey.completeEcKey(keys.getPrivate().getEncoded(), rsaPublic));
        assertTrue(mismatch.getMessage().contains("not an EC key"), mismatch.getMessage());
    }

    private static KeyPair ec() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static byte[] pem(byte[] der) {
        return ("-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The uncompressed point at the end of a P-256 SubjectPublicKeyInfo. */
    private static byte[] publicPoint(byte[] subjectPublicKeyInfo) {
        return Arrays.copyOfRange(subjectPublicKeyInfo, subjectPublicKeyInfo.length - 65,
                subjectPublicKeyInfo.length);
    }

    private static int indexOf(byte[] data, byte[] part) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(data, i, i + part.length), part)) {
                return i;
            }
        }
        return -1;
    }
}
