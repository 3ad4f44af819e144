package io.pistream.rtsp.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Makes a PKCS#8 EC private key readable by GnuTLS, the TLS library behind GIO on Debian (glib-networking).
 *
 * <p>The JDK writes an EC key's inner {@code ECPrivateKey} without its optional public key, and GnuTLS 3.7 refuses
 * such a key ("ASN1 parser: Element was not found"); the device's {@code server.key} is written by the JDK. The public
 * key is in the server certificate, so it is copied from there into the key: the key itself is unchanged. Keys that
 * already carry it, and keys of other types, are returned as they are.
 */
final class PemPrivateKey {

    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";
    /** DER of OID 1.2.840.10045.2.1, id-ecPublicKey. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02,
        0x01};

    private static final int SEQUENCE = 0x30;
    private static final int OCTET_STRING = 0x04;
    private static final int BIT_STRING = 0x03;
    /** {@code [1] EXPLICIT}: the public key of an {@code ECPrivateKey}. */
    private static final int PUBLIC_KEY_TAG = 0xa1;

    private PemPrivateKey() {
    }

    /**
     * @param pem                    the key file (PEM); only a {@code BEGIN PRIVATE KEY} block is changed
     * @param subjectPublicKeyInfo   the DER public key of the key's certificate ({@code PublicKey.getEncoded()})
     * @return the PEM to use; a new array when it changed
     * @throws IllegalArgumentException when the key cannot be read as DER
     */
    static byte[] withPublicKey(byte[] pem, byte[] subjectPublicKeyInfo) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            return pem;
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
        try {
            byte[] completed = completeEcKey(der, subjectPublicKeyInfo);
            if (completed == null) {
                return pem;
            }
            try {
                return (BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(completed) + "\n"
                        + END + "\n").getBytes(StandardCharsets.US_ASCII);
            } finally {
                Arrays.fill(completed, (byte) 0);
            }
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** The PKCS#8 DER with the public key added, or null when there is nothing to add. */
    static byte[] completeEcKey(byte[] pkcs8, byte[] subjectPublicKeyInfo) {
        // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, OCTET STRING privateKey, [0] attributes OPT }
        List<Tlv> info = Tlv.read(pkcs8, 0, pkcs8.length).single(SEQUENCE).children();
        if (info.size() < 3 || info.get(1).tag != SEQUENCE || info.get(2).tag != OCTET_STRING) {
            throw new IllegalArgumentException("not a PKCS#8 private key");
        }
        List<Tlv> algorithm = info.get(1).children();
        if (algorithm.isEmpty() || !Arrays.equals(algorithm.get(0).encoded(), EC_PUBLIC_KEY_OID)) {
            return null; // RSA and others: GnuTLS reads the JDK's encoding
        }
        // ECPrivateKey ::= SEQUENCE { version, OCTET STRING privateKey, [0] parameters OPT, [1] publicKey OPT }
        Tlv ecKey = info.get(2).content().single(SEQUENCE);
        List<Tlv> ecFields = ecKey.children();
        if (ecFields.stream().anyMatch(field -> field.tag == PUBLIC_KEY_TAG)) {
            return null;
        }
        // SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING subjectPublicKey }
        List<Tlv> publicKeyInfo = Tlv.read(subjectPublicKeyInfo, 0, subjectPublicKeyInfo.length).single(SEQUENCE)
                .children();
        if (publicKeyInfo.size() != 2 || publicKeyInfo.get(1).tag != BIT_STRING
                || !Arrays.equals(publicKeyInfo.get(0).children().get(0).encoded(), EC_PUBLIC_KEY_OID)) {
            throw new IllegalArgumentException("the certificate's public key is not an EC key");
        }
        List<byte[]> newFields = new ArrayList<>();
        for (Tlv field : ecFields) {
            newFields.add(field.encoded());
        }
        newFields.add(Tlv.encode(PUBLIC_KEY_TAG, publicKeyInfo.get(1).encoded()));
        List<byte[]> newInfo = new ArrayList<>();
        newInfo.add(info.get(0).encoded());
        newInfo.add(info.get(1).encoded());
        newInfo.add(Tlv.encode(OCTET_STRING, Tlv.encode(SEQUENCE, newFields.toArray(byte[][]::new))));
        for (int i = 3; i < info.size(); i++) {
            newInfo.add(info.get(i).encoded());
        }
        return Tlv.encode(SEQUENCE, newInfo.toArray(byte[][]::new));
    }

    /** One DER element (tag, length, value) within a byte array: just what the two structures above need. */
    private static final class Tlv {
        final int tag;
        private final byte[] data;
        private final int start;
        private final int valueStart;
        private final int end;

        private Tlv(int tag, byte[] data, int start, int valueStart, int end) {
            this.tag = tag;
            this.data = data;
            this.start = start;
            this.valueStart = valueStart;
            this.end = end;
        }

        /** The elements in {@code data[from, to)}. */
        static Sequence read(byte[] data, int from, int to) {
            List<Tlv> elements = new ArrayList<>();
            int at = from;
            while (at < to) {
                if (to - at < 2) {
                    throw new IllegalArgumentException("truncated DER");
                }
                int tag = data[at] & 0xff;
                int length = data[at + 1] & 0xff;
                int valueStart = at + 2;
                if (length > 0x80) {
                    int bytes = length & 0x7f;
                    if (bytes > 3 || valueStart + bytes > to) {
                        throw new IllegalArgumentException("bad DER length");
                    }
                    length = 0;
                    for (int i = 0; i < bytes; i++) {
                        length = length << 8 | data[valueStart + i] & 0xff;
                    }
                    valueStart += bytes;
                } else if (length == 0x80) {
                    throw new IllegalArgumentException("indefinite length is not DER");
                }
                if (valueStart + length > to) {
                    throw new IllegalArgumentException("truncated DER");
                }
                elements.add(new Tlv(tag, data, at, valueStart, valueStart + length));
                at = valueStart + length;
            }
            return new Sequence(elements);
        }

        Sequence content() {
            return read(data, valueStart, end);
        }

        List<Tlv> children() {
            return content().elements;
        }

        byte[] encoded() {
            return Arrays.copyOfRange(data, start, end);
        }

        static byte[] encode(int tag, byte[]... parts) {
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                value.writeBytes(part);
            }
            int length = value.size();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            if (length < 0x80) {
                out.write(length);
            } else if (length < 0x100) {
                out.write(0x81);
                out.write(length);
            } else if (length <= 0xffff) {
                out.write(0x82);
                out.write(length >> 8);
                out.write(length & 0xff);
            } else {
                throw new IllegalArgumentException("longer than a key needs");
            }
            out.writeBytes(value.toByteArray());
            return out.toByteArray();
        }

        record Sequence(List<Tlv> elements) {
            Tlv single(int expectedTag) {
                if (elements.size() != 1 || elements.get(0).tag != expectedTag) {
                    throw new IllegalArgumentException("unexpected DER structure");
                }
                return elements.get(0);
            }
        }
    }
}
