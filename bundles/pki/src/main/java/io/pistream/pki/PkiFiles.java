package io.pistream.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * The files of one PKI directory ({@code etc/pki/} on the device, {@code pki/out/} for the command line tool):
 *
 * <pre>
 * ca.crt             the CA certificate (PEM), to import into browsers and phones       0644
 * ca.key             the CA private key (PKCS#8 PEM): keep it private                   0600
 * keystore.p12       server key + chain (server, CA) under one alias, for Jetty/Karaf   0600
 * keystore.password  the password of keystore.p12                                      0600
 * server.crt         the server certificate (PEM), for other servers (RTSPS, signalling)
 * server.key         the server private key (PKCS#8 PEM)                                0600
 * </pre>
 *
 * Files are written to a temporary file and moved into place, so a reader never sees half a file, and secret files
 * are created with owner-only permissions.
 */
public final class PkiFiles {

    public static final String CA_CERTIFICATE = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String KEYSTORE = "keystore.p12";
    public static final String KEYSTORE_PASSWORD = "keystore.password";
    public static final String SERVER_CERTIFICATE = "server.crt";
    public static final String SERVER_KEY = "server.key";

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;

    public PkiFiles(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public Path directory() {
        return directory;
    }

    public Path caCertificate() {
        return directory.resolve(CA_CERTIFICATE);
    }

    public Path caKey() {
        return directory.resolve(CA_KEY);
    }

    public Path keystore() {
        return directory.resolve(KEYSTORE);
    }

    public Path keystorePassword() {
        return directory.resolve(KEYSTORE_PASSWORD);
    }

    public Path serverCertificate() {
        return directory.resolve(SERVER_CERTIFICATE);
    }

    public Path serverKey() {
        return directory.resolve(SERVER_KEY);
    }

    /** The password stored in {@code keystore.password}, if that file exists and is not empty. */
    public Optional<String> readKeystorePassword() throws PkiException {
        Path file = keystorePassword();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String password = Files.readString(file, StandardCharsets.UTF_8).strip();
            return password.isEmpty() ? Optional.empty() : Optional.of(password);
        } catch (IOException e) {
            throw new PkiException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A new random password: 192 bits, 32 URL-safe Base64 characters. */
    public static String newPassword() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return directory.toString();
    }

    void createDirectory() throws PkiException {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            if (posix()) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
            } else {
                Files.createDirectories(directory);
            }
        } catch (IOException e) {
            throw new PkiException("cannot create the directory " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Writes a file readable only by its owner (0600). */
    void writeSecret(Path file, byte[] content) throws PkiException {
        write(file, content, OWNER_ONLY);
    }

    /** Writes a file anyone may read (0644). */
    void writePublic(Path file, byte[] content) throws PkiException {
        write(file, content, READABLE);
    }

    private void write(Path file, byte[] content, Set<PosixFilePermission> permissions) throws PkiException {
        createDirectory();
        Path temporary = null;
        try {
            boolean posix = posix();
            // created owner-only, so a secret is never readable by others, not even for a moment
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp", attributes);
            Files.write(temporary, content);
            if (posix) {
                Files.setPosixFilePermissions(temporary, permissions); // exact, whatever the umask
            }
            try {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new PkiException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /** Makes an existing secret file owner-only again if someone widened its permissions. */
    static void restrict(Path file) {
        if (!posix()) {
            return;
        }
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // not our file system to fix; the key is still usable
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
