package io.pistream.signalling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

/**
 * The OSGi headers bnd generated (it runs before the tests, in process-classes): what Karaf needs.
 */
class BundleManifestTest {

    private static Attributes manifest() throws Exception {
        Path file = Path.of("target", "classes", "META-INF", "MANIFEST.MF");
        try (InputStream in = Files.newInputStream(file)) {
            return new Manifest(in).getMainAttributes();
        }
    }

    @Test
    void headers() throws Exception {
        Attributes m = manifest();
        assertEquals("io.pistream.signalling", m.getValue("Bundle-SymbolicName"));
        assertEquals("io.pistream.signalling.command.*", m.getValue("Karaf-Commands"));
        assertEquals("io.pistream.signalling;version=\"1.1.0\"", m.getValue("Export-Package"));
        String imports = m.getValue("Import-Package");
        // Pax Web loads Jetty's WebSocket factory through this bundle's class loader
        assertTrue(imports.contains("org.eclipse.jetty.websocket.server;version=\"[9.4,10)\""), imports);
        assertTrue(imports.contains("org.eclipse.jetty.websocket.servlet;version=\"[9.4,10)\""), imports);
        assertTrue(imports.contains("javax.servlet;version=\"[3.1,4)\""), imports);
        assertTrue(imports.contains("com.fasterxml.jackson.databind;version=\"[2.17,3)\""), imports);
        assertTrue(imports.contains("io.pistream.signalling.protocol;version=\"[1.1,2)\""),
                "the protocol's messages, shared with the client, and the meta keys the server stamps: " + imports);
        assertTrue(imports.contains("io.pistream.api.security;version=\"[1.0,2)\""),
                "the caller the HTTP door authenticated: " + imports);
        assertTrue(imports.contains("org.apache.karaf.shell.support.table"), imports);
        assertFalse(imports.contains("org.eclipse.jetty.server;"), "no dependency on Jetty's server core: " + imports);
        assertEquals("OSGI-INF/io.pistream.signalling.internal.jetty.SignallingComponent.xml",
                m.getValue("Service-Component"));
        String component = Files.readString(Path.of("target", "classes", "OSGI-INF",
                "io.pistream.signalling.internal.jetty.SignallingComponent.xml"));
        assertTrue(component.contains("configuration-pid=\"io.pistream.signalling\""), component);
        assertTrue(component.contains("immediate=\"true\""), component);
        assertTrue(Files.exists(Path.of("target", "classes", "OSGI-INF", "metatype",
                "io.pistream.signalling.internal.jetty.SignallingConfig.xml")));
    }
}
