package io.pistream.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyFilesTest {

    @Test
    void aSecretIsWrittenWholeAndForTheOwnerOnly(@TempDir Path etc) throws Exception {
        Path key = etc.resolve("pistream-token.key");
        OwnerOnlyFiles.write(key, "first\n");
        OwnerOnlyFiles.write(key, "second\n");
        assertEquals("second\n", Files.readString(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        try (var left = Files.list(etc)) {
            assertEquals(1, left.count(), "no temporary file left behind");
        }
    }

    @Test
    void aLinkedSecretIsWrittenWhereTheLinkPointsAndTheLinkStays(@TempDir Path root) throws Exception {
        Path etc = Files.createDirectories(root.resolve("etc/pistream"));
        Path state = Files.createDirectories(root.resolve("var/lib/pistream"));
        Path link = Files.createSymbolicLink(etc.resolve("pistream.digest"), state.resolve("pistream.digest"));

        OwnerOnlyFiles.write(link, "admin:pistream:0123\n"); // the link dangles: its file does not exist yet
        assertTrue(Files.isSymbolicLink(link), "the link in the configuration directory is kept");
        assertEquals("admin:pistream:0123\n", Files.readString(state.resolve("pistream.digest")));

        OwnerOnlyFiles.write(link, "admin:pistream:4567\n");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("admin:pistream:4567\n", Files.readString(link));
        try (var left = Files.list(etc)) {
            assertEquals(1, left.count(), "nothing written into the configuration directory");
        }

        assertTrue(OwnerOnlyFiles.delete(link));
        assertTrue(Files.notExists(state.resolve("pistream.digest")), "deleted where it was, not only the link");
        assertTrue(Files.isSymbolicLink(link) && Files.notExists(link));
    }
}
