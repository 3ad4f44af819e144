package io.pistream.vp8;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.jar.Attributes;

import io.pistream.gstreamer.testing.BuiltBundle;

import org.junit.jupiter.api.Test;

/** The OSGi headers bnd generated (in process-classes, before the tests): what Karaf needs. */
class BundleManifestTest {

    @Test
    void theEncoderComponentKeepsItsNameAndConfiguration() throws Exception {
        Attributes m = BuiltBundle.manifest();
        assertEquals("io.pistream.vp8", m.getValue("Bundle-SymbolicName"));
        assertEquals(null, m.getValue("Export-Package"));
        String imports = m.getValue("Import-Package");
        assertTrue(imports.contains("io.pistream.api;version=\"[2.3,3)\""), imports);
        assertFalse(imports.contains("io.pistream.webrtc"), "an encoder of the hub, not part of WebRTC: " + imports);
        assertEquals("OSGI-INF/io.pistream.webrtc.internal.Vp8Encoder.xml", m.getValue("Service-Component"));
        String encoder = BuiltBundle.component("io.pistream.webrtc.internal.Vp8Encoder");
        assertTrue(encoder.contains("configuration-pid=\"io.pistream.vp8\""), encoder);
        assertTrue(encoder.contains("<property name=\"pistream.codec\" type=\"String\" value=\"VP8\"/>"), encoder);
    }
}
