package io.pistream.gstreamer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/**
 * What bnd generated for the module under test (in process-classes, before the tests run): the manifest's main
 * headers, the Declarative Services component descriptions and the metatypes, read from {@code target/classes}.
 */
public final class BuiltBundle {

    private static final Path CLASSES = Path.of("target", "classes");

    private BuiltBundle() {
    }

    public static Attributes manifest() throws IOException {
        try (InputStream in = Files.newInputStream(CLASSES.resolve(Path.of("META-INF", "MANIFEST.MF")))) {
            return new Manifest(in).getMainAttributes();
        }
    }

    /** The XML of the component named so (by default its class's name). */
    public static String component(String name) throws IOException {
        return Files.readString(CLASSES.resolve(Path.of("OSGI-INF", name + ".xml")));
    }

    /** Whether bnd wrote a metatype for this configuration type, so that Karaf's tools can show its fields. */
    public static boolean hasMetatype(String configType) {
        return Files.exists(CLASSES.resolve(Path.of("OSGI-INF", "metatype", configType + ".xml")));
    }
}
