package io.pistream.signalling.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

/** The OSGi headers bnd generated (in process-classes, before the tests): what Karaf needs. */
class BundleManifestTest {

    @Test
    void exportsTheProtocolAndNeedsOnlyJackson() throws Exception {
        Attributes m;
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "META-INF", "MANIFEST.MF"))) {
            m = new Manifest(in).getMainAttributes();
        }
        assertEquals("io.pistream.signalling.protocol", m.getValue("Bundle-SymbolicName"));
        assertTrue(m.getValue("Export-Package").startsWith("io.pistream.signalling.protocol;version=\"1.1.0\""),
                m.getValue("Export-Package"));
        for (String imported : m.getValue("Import-Package").split(",(?=[a-z])")) {
            assertTrue(imported.startsWith("com.fasterxml.jackson.") || imported.startsWith("java."),
                    "only Jackson and the JDK: " + imported);
        }
    }
}
