package io.pistream.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestBookTest {

    @TempDir
    Path etc;

    @Test
    void clearTextPasswordsKeepTheirDigestSecretBeforeAnyoneHashesThem() throws Exception {
        Path users = etc.resolve("users.properties");
        Files.writeString(users, "_g_\\:admingroup = group,admin,viewer\n"
                + "bench = benchmark-password,_g_:admingroup,talk\n"
                + "old = {CRYPT}argon2id:19:64:1:1:AA:AA{CRYPT},viewer\n");
        DigestBook book = new DigestBook(etc.resolve("pistream.digest"));
        assertEquals(1, DigestBook.captureClearText(users, book));
        Map<String, String> kept = new DigestBook(etc.resolve("pistream.digest")).all();
        assertEquals(Map.of("bench", DigestBook.ha1("bench", "benchmark-password")), kept,
                "kept on disk, for the security component that starts later");
        assertFalse(kept.containsKey("old"), "a hashed password has no clear text to keep");
        // RFC 2617's example shape: MD5 of user:realm:password, 32 hex digits
        assertEquals(32, DigestBook.ha1("bench", "benchmark-password").length());
    }
}
