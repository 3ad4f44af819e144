package io.pistream.webrtc.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.jar.Attributes;

import io.pistream.gstreamer.testing.BuiltBundle;

import org.junit.jupiter.api.Test;

/** The OSGi headers bnd generated (in process-classes, before the tests): what Karaf needs. */
class BundleManifestTest {

    @Test
    void theProducerComponentKeepsItsNameAndConfiguration() throws Exception {
        Attributes m = BuiltBundle.manifest();
        assertEquals("io.pistream.webrtc", m.getValue("Bundle-SymbolicName"));
        assertEquals(null, m.getValue("Export-Package"));
        String imports = m.getValue("Import-Package");
        assertTrue(imports.contains("io.pistream.webrtc.internal;pistream=webrtc;"),
                "the session core, imported with the attribute its export demands: " + imports);
        assertTrue(imports.contains("io.pistream.webrtc;version=\"[1.1,2)\""), imports);
        assertTrue(imports.contains("io.pistream.api.security;version=\"[1.0,2)\""), imports);
        String components = m.getValue("Service-Component");
        assertEquals("OSGI-INF/io.pistream.webrtc.internal.WebRtcProducerComponent.xml", components);
        String producer = BuiltBundle.component("io.pistream.webrtc.internal.WebRtcProducerComponent");
        assertTrue(producer.contains("configuration-pid=\"io.pistream.webrtc\""), producer);
        assertTrue(producer.contains("interface=\"io.pistream.api.security.AccessControl\""),
                "signs in with the device token: " + producer);
        assertTrue(BuiltBundle.hasMetatype("io.pistream.webrtc.internal.ProducerConfig"));
    }
}
