package io.pistream.pki.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

class PkiSettingsTest {

    private static final UnaryOperator<String> KARAF = Map.of("karaf.etc", "/opt/karaf/etc",
            "karaf.base", "/opt/karaf")::get;

    @Test
    void defaults() {
        PkiSettings settings = PkiSettings.of("${karaf.etc}/pki", "", "", 30, 60, true, KARAF);
        assertEquals(Path.of("/opt/karaf/etc/pki"), settings.directory());
        assertTrue(settings.extraNames().isEmpty());
        assertEquals("", settings.keystorePassword());
    }

    @Test
    void relativeDirectoriesAreUnderKarafBase() {
        assertEquals(Path.of("/opt/karaf/etc/tls"),
                PkiSettings.of("etc/tls", "", "", 30, 60, true, KARAF).directory());
    }

    @Test
    void extraNamesAreCheckedStrictly() {
        assertEquals("DNS:cam.example.org, IP:203.0.113.7",
                PkiSettings.of("/x", "", "cam.example.org, 203.0.113.7", 30, 60, true, KARAF).extraNames().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PkiSettings.of("/x", "", "good.example, evil name!", 30, 60, true, KARAF));
        assertTrue(e.getMessage().startsWith("extra.names: "), e.getMessage());
        assertTrue(e.getMessage().contains("'evil name!'"), e.getMessage());
    }

    @Test
    void otherRefusalsNameTheirKey() {
        assertKey("renew.days", () -> PkiSettings.of("/x", "", "", 0, 60, true, KARAF));
        assertKey("renew.days", () -> PkiSettings.of("/x", "", "", 400, 60, true, KARAF));
        assertKey("check.interval.minutes", () -> PkiSettings.of("/x", "", "", 30, -1, true, KARAF));
        assertKey("directory", () -> PkiSettings.of("${karaf.nothing}/pki", "", "", 30, 60, true, KARAF));
        assertKey("directory", () -> PkiSettings.of(" ", "", "", 30, 60, true, KARAF));
        assertKey("keystore.password", () -> PkiSettings.of("/x", " pw ", "", 30, 60, true, KARAF));
    }

    @Test
    void neverPrintsThePassword() {
        assertFalse(PkiSettings.of("/x", "hunter2", "", 30, 60, true, KARAF).toString().contains("hunter2"));
    }

    private static void assertKey(String key, Runnable settings) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, settings::run);
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
    }
}
