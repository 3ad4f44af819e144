package io.pistream.whep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.jar.Attributes;

import io.pistream.gstreamer.testing.BuiltBundle;

import org.junit.jupiter.api.Test;

/** The OSGi headers and components bnd generated: servlets in the door's context, producer and receiver optional. */
class BundleManifestTest {

    @Test
    void theDoorsAreServletsOfTheDefaultContextWithOptionalPeers() throws Exception {
        Attributes m = BuiltBundle.manifest();
        assertEquals("io.pistream.whep", m.getValue("Bundle-SymbolicName"));
        assertEquals(null, m.getValue("Export-Package"));
        String imports = m.getValue("Import-Package");
        assertTrue(imports.contains("io.pistream.webrtc.internal.door;pistream=webrtc;"), imports);
        assertTrue(imports.contains("io.pistream.api.security;version=\"[1.0,2)\""), imports);
        assertFalse(imports.contains("org.freedesktop.gstreamer"), "no pipeline of its own: " + imports);
        for (String[] door : new String[][] {{"WhepServlet", "/whep/*", "producer"},
            {"WhipServlet", "/whip/*", "receiver"}}) {
            String xml = BuiltBundle.component("io.pistream.whep.internal." + door[0]);
            assertTrue(xml.contains("osgi.http.whiteboard.servlet.pattern\" type=\"String\" value=\"" + door[1]), xml);
            assertTrue(xml.contains("(osgi.http.whiteboard.context.name=default)"), "behind the HTTP door: " + xml);
            assertTrue(xml.contains("cardinality=\"0..1\"") && xml.contains("policy=\"dynamic\""),
                    "the servlet stays while its peer comes and goes: " + xml);
            assertTrue(xml.contains("(pistream.webrtc.role=" + door[2] + ")"), xml);
        }
    }
}
