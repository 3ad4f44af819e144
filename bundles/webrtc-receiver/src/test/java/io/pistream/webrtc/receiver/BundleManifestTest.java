package io.pistream.webrtc.receiver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.jar.Attributes;

import io.pistream.gstreamer.testing.BuiltBundle;

import org.junit.jupiter.api.Test;

/** The OSGi headers bnd generated (in process-classes, before the tests): what Karaf needs. */
class BundleManifestTest {

    @Test
    void theReceiverComponentKeepsItsNameAndConfiguration() throws Exception {
        Attributes m = BuiltBundle.manifest();
        assertEquals("io.pistream.webrtc.receiver", m.getValue("Bundle-SymbolicName"));
        assertEquals("io.pistream.webrtc.receiver.command.*", m.getValue("Karaf-Commands"));
        assertEquals(null, m.getValue("Export-Package"));
        String imports = m.getValue("Import-Package");
        assertTrue(imports.contains("io.pistream.gstreamer.jna;pistream=native;"), imports);
        assertTrue(imports.contains("io.pistream.webrtc.internal.session;pistream=webrtc;"), imports);
        assertTrue(imports.contains("io.pistream.webrtc;version=\"[1.1,2)\""), imports);
        assertTrue(imports.contains("io.pistream.api.security;version=\"[1.0,2)\""), imports);
        assertFalse(imports.contains("org.eclipse.jetty"), "the server is not a dependency: " + imports);
        String components = m.getValue("Service-Component");
        assertEquals("OSGI-INF/io.pistream.webrtc.internal.WebRtcReceiverComponent.xml", components,
                "the receiver only: no producer component of its own");
        String receiver = BuiltBundle.component("io.pistream.webrtc.internal.WebRtcReceiverComponent");
        assertTrue(receiver.contains("configuration-pid=\"io.pistream.webrtc.receiver\""), receiver);
        assertTrue(receiver.contains("configuration-policy=\"require\""), receiver);
        assertTrue(receiver.contains("interface=\"io.pistream.api.security.AccessControl\""),
                "signs in with the device token: " + receiver);
        assertTrue(BuiltBundle.hasMetatype("io.pistream.webrtc.internal.ReceiverConfig"));
    }
}
