package io.pistream.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.jar.Attributes;

import io.pistream.gstreamer.testing.BuiltBundle;

import org.junit.jupiter.api.Test;

/** The OSGi headers bnd generated (in process-classes, before the tests): what Karaf needs. */
class BundleManifestTest {

    @Test
    void exportsTheStatusApiAndTheSessionCoreToPistreamsBundlesOnly() throws Exception {
        Attributes m = BuiltBundle.manifest();
        assertEquals("io.pistream.webrtc.core", m.getValue("Bundle-SymbolicName"));
        assertEquals("io.pistream.webrtc.command.*", m.getValue("Karaf-Commands"));
        String exports = m.getValue("Export-Package");
        assertTrue(exports.contains("io.pistream.webrtc;version=\"1.1.0\""), exports);
        for (String internal : new String[] {"io.pistream.webrtc.internal;", "io.pistream.webrtc.internal.session;",
                "io.pistream.webrtc.internal.signaller;"}) {
            assertTrue(exports.contains(internal + "pistream=webrtc;mandatory:=pistream;version=\"0.1.0\""),
                    "exported with the attribute only pistream's bundles ask for: " + exports);
        }
        String imports = m.getValue("Import-Package");
        assertTrue(imports.contains("com.fasterxml.jackson.databind;version=\"[2.17,3)\""), imports);
        assertTrue(imports.contains("io.pistream.api;version=\"[2.3,3)\""), imports);
        assertTrue(imports.contains("io.pistream.gstreamer.jna;pistream=native;"),
                "the native layer, imported with the attribute its export demands: " + imports);
        assertTrue(imports.contains("org.freedesktop.gstreamer"), imports);
        assertTrue(imports.contains("com.sun.jna;version=\"[5.18,6)\""), imports);
        assertTrue(imports.contains("java.net.http"), "the JDK WebSocket client: " + imports);
        assertTrue(imports.contains("io.pistream.signalling.protocol;version=\"[1.1,2)\""),
                "the protocol's messages, shared with the server: " + imports);
        assertTrue(imports.contains("io.pistream.api.security;version=\"[1.0,2)\""),
                "the device's token, for its own signalling server: " + imports);
        assertFalse(imports.contains("org.eclipse.jetty"), "the server is not a dependency: " + imports);
        assertEquals(null, m.getValue("Service-Component"), "the core runs nothing by itself");
    }
}
