package io.pistream.security.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import io.pistream.api.security.AccessControl;

/**
 * The RTSP Digest secrets (RFC 2617 HA1 = MD5 of {@code user:pistream:password}) in htdigest format, in an
 * owner-only file. Digest cannot work from a slow hash: the server must compute the expected response, so this is
 * the one password-derived value kept besides the Argon2id hash. It is bound to the realm and the user, and only
 * opens the RTSP door.
 */
final class DigestBook {

    private final Path file;
    private final Map<String, String> secrets = new TreeMap<>();

    DigestBook(Path file) throws IOException {
        this.file = file;
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.trim().split(":");
                if (fields.length == 3 && AccessControl.REALM.equals(fields[1]) && fields[2].length() == 32) {
                    secrets.put(fields[0], fields[2]);
                }
            }
        }
    }

    synchronized boolean put(String user, String password) throws IOException {
        String ha1 = ha1(user, password);
        if (ha1.equals(secrets.put(user, ha1))) {
            return false;
        }
        save();
        return true;
    }

    synchronized void remove(String user) throws IOException {
        if (secrets.remove(user) != null) {
            save();
        }
    }

    synchronized Map<String, String> all() {
        return new TreeMap<>(secrets);
    }

    /**
     * Keeps the secret of each user whose password is still in clear in a Karaf users file (written by hand or by
     * the first-start script); returns how many.
     */
    static int captureClearText(Path usersFile, DigestBook book) throws IOException {
        Map<String, String> clear = KarafUserStore.clearTextPasswordsIn(usersFile);
        for (Map.Entry<String, String> user : clear.entrySet()) {
            book.put(user.getKey(), user.getValue());
        }
        return clear.size();
    }

    static String ha1(String user, String password) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(
                    (user + ":" + AccessControl.REALM + ":" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void save() throws IOException {
        StringBuilder text = new StringBuilder();
        secrets.forEach((user, ha1) -> text.append(user).append(':').append(AccessControl.REALM).append(':')
                .append(ha1).append('\n'));
        OwnerOnlyFiles.write(file, text.toString());
    }
}
