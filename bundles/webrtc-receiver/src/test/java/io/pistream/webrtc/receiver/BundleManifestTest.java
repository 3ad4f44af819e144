package io.pistream.webrtc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

/** The OSGi headers bnd generated (in process-classes, before the tests): what Karaf needs. */
class BundleManifestTest {

    private static Attributes manifest() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("target", "classes", "META-INF", "MANIFEST.MF"))) {
            return new Manifest(in).getMainAttributes();
        }
    }

    private static String component(String name) throws Exception {
        return Files.readString(Path.of("target", "classes", "OSGI-INF", name + ".xml"));
    }

    @Test
    void theReceiverComponentKeepsItsNameAndConfiguration() throws Exception {
        Attributes m = manifest();
        assertEquals("io.pistream.webrtc.receiver", m.getValue("Bundle-SymbolicName"));
        assertEquals("io.pistream.webrtc.receiver.command.*", m.getValue("Karaf-Commands"));
        assertEquals(null, m.getValue("Export-Package"));
        String imports = m.getValue("Import-Package");
        assertTrue(imports.contains("io.pistream.gstreamer.jna;pistream=native;"), imports);
        assertTrue(imports.contains("io.pistream.webrtc.internal.session;pistream=webrtc;"), imports);
        assertTrue(imports.contains("io.pistream.webrtc;version=\"[1.0,2)\""), imports);
        assertTrue(imports.contains("io.pistream.api.security;version=\"[1.0,2)\""), imports);
        assertFalse(imports.contains("org.eclipse.jetty"), "the server is not a dependency: " + imports);
        String components = m.getValue("Service-Component");
        assertEquals("OSGI-INF/io.pistream.webrtc.internal.WebRtcReceiverComponent.xml", components,
                "the receiver only: no producer component of its own");
        String receiver = component("io.pistream.webrtc.internal.WebRtcReceiverComponent");
        assertTrue(receiver.contains("configuration-pid=\"io.pistream.webrtc.receiver\""), receiver);
        assertTrue(receiver.contains("configuration-policy=\"require\""), receiver);
        assertTrue(receiver.contains("interface=\"io.pistream.api.security.AccessControl\""),
                "signs in with the device token: " + receiver);
        assertTrue(Files.exists(Path.of("target", "classes", "OSGI-INF", "metatype",
                "io.pistream.webrtc.internal.ReceiverConfig.xml")));
    }
}
