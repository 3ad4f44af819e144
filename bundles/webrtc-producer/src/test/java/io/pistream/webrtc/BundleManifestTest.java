package io.pistream.webrtc;

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

    @Test
    void headers() throws Exception {
        Attributes m = manifest();
        assertEquals("io.pistream.webrtc", m.getValue("Bundle-SymbolicName"));
        assertEquals("io.pistream.webrtc.command.*", m.getValue("Karaf-Commands"));
        assertEquals("io.pistream.webrtc;version=\"1.0.0\"", m.getValue("Export-Package"));
        String imports = m.getValue("Import-Package");
        assertTrue(imports.contains("com.fasterxml.jackson.databind;version=\"[2.17,3)\""), imports);
        assertTrue(imports.contains("io.pistream.api;version=\"[2.1,3)\""), imports);
        assertTrue(imports.contains("io.pistream.gstreamer.jna;pistream=native;"),
                "the native layer, imported with the attribute its export demands: " + imports);
        assertTrue(imports.contains("org.freedesktop.gstreamer"), imports);
        assertTrue(imports.contains("com.sun.jna;version=\"[5.18,6)\""), imports);
        assertTrue(imports.contains("java.net.http"), "the JDK WebSocket client: " + imports);
        assertFalse(imports.contains("org.eclipse.jetty"), "the server is not a dependency: " + imports);
        String components = m.getValue("Service-Component");
        assertTrue(components.contains("io.pistream.webrtc.internal.WebRtcProducerComponent.xml"), components);
        assertTrue(components.contains("io.pistream.webrtc.internal.WebRtcReceiverComponent.xml"), components);
        String producer = Files.readString(Path.of("target", "classes", "OSGI-INF",
                "io.pistream.webrtc.internal.WebRtcProducerComponent.xml"));
        assertTrue(producer.contains("configuration-pid=\"io.pistream.webrtc\""), producer);
        String receiver = Files.readString(Path.of("target", "classes", "OSGI-INF",
                "io.pistream.webrtc.internal.WebRtcReceiverComponent.xml"));
        assertTrue(receiver.contains("configuration-pid=\"io.pistream.webrtc.receiver\""), receiver);
        assertTrue(receiver.contains("configuration-policy=\"require\""), receiver);
        assertTrue(Files.exists(Path.of("target", "classes", "OSGI-INF", "metatype",
                "io.pistream.webrtc.internal.ProducerConfig.xml")));
    }
}
