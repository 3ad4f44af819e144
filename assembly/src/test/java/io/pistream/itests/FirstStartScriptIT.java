package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Before;
import org.junit.Test;

import io.pistream.security.internal.Argon2Passwords;

/**
 * {@code bin/setenv}, what {@code bin/karaf} sources before the JVM starts. At the first start it makes the
 * administrator with a random password, stored as the security service would store it when Debian's argon2 is
 * installed (so the platform does not hash it while it starts), and in clear, for the platform to hash, when not.
 * At every start it spares the launcher its two {@code java -version} runs.
 */
public class FirstStartScriptIT {

    private static final Path SCRIPT = Path.of("src/main/resources/assembly/bin/setenv").toAbsolutePath();
    private static final Pattern HASHED_ADMIN = Pattern.compile(
            "admin = \\{CRYPT\\}(argon2id:19:19456:2:1:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43})\\{CRYPT\\},_g_:admingroup,talk");

    private Path etc;

    @Before
    public void makeEtc() throws IOException {
        etc = Files.createTempDirectory("pistream-first-start");
    }

    @Test
    public void theAdministratorIsStoredAsAnArgon2idHashWithItsRtspDigestSecret() throws Exception {
        assertTrue("Debian's argon2 is installed (./pistream.sh deps installs it)",
                Files.isExecutable(Path.of("/usr/bin/argon2")));
        Files.writeString(etc.resolve("pistream.digest"), "bob:pistream:0123456789abcdef0123456789abcdef\n");

        String output = source(System.getenv("PATH"));

        String password = Files.readString(etc.resolve("admin.password")).strip();
        assertTrue(output, password.length() >= 16);
        String users = Files.readString(etc.resolve("users.properties"));
        assertFalse("no password in clear", users.contains(password));
        Matcher admin = HASHED_ADMIN.matcher(users.strip());
        assertTrue(users, admin.matches());
        Argon2Passwords passwords = new Argon2Passwords(Argon2Passwords.DEFAULT_COST);
        assertTrue("the security service accepts the password", passwords.verify(password, admin.group(1)));
        assertFalse(passwords.verify(password + "x", admin.group(1)));
        assertFalse("already of the current cost", passwords.needsRehash(admin.group(1)));

        String adminSecret = PistreamTestSupport.md5Hex("admin:pistream:" + password);
        assertEquals(List.of("bob:pistream:0123456789abcdef0123456789abcdef", "admin:pistream:" + adminSecret),
                Files.readAllLines(etc.resolve("pistream.digest")));
        for (String secret : List.of("admin.password", "users.properties", "pistream.digest")) {
            assertEquals(secret, "rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(etc.resolve(secret))));
        }

        // a later start leaves the administrator alone
        String before = users + Files.readString(etc.resolve("pistream.digest")) + password;
        source(System.getenv("PATH"));
        assertEquals(before, Files.readString(etc.resolve("users.properties"))
                + Files.readString(etc.resolve("pistream.digest"))
                + Files.readString(etc.resolve("admin.password")).strip());
    }

    @Test
    public void withoutArgon2ThePasswordIsLeftInClearForThePlatformToHash() throws Exception {
        Path tools = Files.createTempDirectory("pistream-tools");
        for (String tool : List.of("sh", "dirname", "readlink", "grep", "head", "base64", "tr", "chmod", "md5sum",
                "cut")) {
            Files.createSymbolicLink(tools.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }

        String output = source(tools.toString());

        String password = Files.readString(etc.resolve("admin.password")).strip();
        assertTrue(output, password.length() >= 16);
        assertEquals("admin = " + password + ",_g_:admingroup,talk",
                Files.readString(etc.resolve("users.properties")).strip());
        assertFalse("the platform keeps the Digest secret when it hashes",
                Files.exists(etc.resolve("pistream.digest")));
    }

    /**
     * bin/karaf asks {@code java -version} twice (vendor, version) before it starts the platform; with a HotSpot JDK
     * of 17 or later the script answers both from the JDK's release file, and no JVM is started for them.
     */
    @Test
    public void theLaunchersJvmChecksAnswerFromTheJdksReleaseFileWithoutStartingJava() throws Exception {
        Path fakeJava = Files.createTempDirectory("pistream-java").resolve("java");
        Path started = fakeJava.resolveSibling("started");
        Files.writeString(fakeJava, "#!/bin/sh\ntouch '" + started + "'\necho 'openjdk version \"17.0.15\"'\n");
        fakeJava.toFile().setExecutable(true);
        String checks = "JAVA='" + fakeJava + "'; detectJVM; checkJvmVersion; echo \"vendor=$JVM_VENDOR version=$VERSION\"";

        String output = source(System.getenv("PATH"), System.getProperty("java.home"), checks);

        assertTrue(output, output.contains("vendor=SUN version=17"));
        assertFalse("no java was started", Files.exists(started));

        // an older or another JDK: Karaf's own checks stay (here, where bin/inc is not sourced, there are none)
        Path oldJdk = Files.createTempDirectory("pistream-jdk");
        Files.createDirectories(oldJdk.resolve("bin"));
        Files.createSymbolicLink(oldJdk.resolve("bin/java"), fakeJava);
        for (String release : List.of("JAVA_VERSION=\"11.0.2\"", "IMPLEMENTOR=\"IBM Corporation\"\nJAVA_VERSION=\"17.0.4\"")) {
            Files.writeString(oldJdk.resolve("release"), release + "\n");
            String kept = source(System.getenv("PATH"), oldJdk.toString(), "type detectJVM checkJvmVersion || echo kept");
            assertTrue(release + ": " + kept, kept.contains("kept"));
        }
    }

    /**
     * GLib 2.74's slice allocator keeps GStreamer's small blocks for ever; the platform runs GLib on malloc, whose
     * free memory the JVM gives back, unless the operator chose otherwise (an empty value: GLib's own allocator).
     */
    @Test
    public void glibAllocatesWithMallocUnlessTheEnvironmentSaysOtherwise() throws Exception {
        String shown = "echo \"G_SLICE=$G_SLICE\"";

        String byDefault = source(System.getenv("PATH"), System.getProperty("java.home"), shown);
        String chosen = source(System.getenv("PATH"), System.getProperty("java.home"), shown,
                Map.of("G_SLICE", "debug-blocks"));
        String glibsOwn = source(System.getenv("PATH"), System.getProperty("java.home"), shown, Map.of("G_SLICE", ""));

        assertTrue(byDefault, byDefault.contains("G_SLICE=always-malloc\n"));
        assertTrue(chosen, chosen.contains("G_SLICE=debug-blocks\n"));
        assertTrue(glibsOwn, glibsOwn.contains("G_SLICE=\n"));
    }

    private String source(String path) throws IOException, InterruptedException {
        return source(path, System.getProperty("java.home"), "");
    }

    private String source(String path, String javaHome, String after) throws IOException, InterruptedException {
        return source(path, javaHome, after, Map.of());
    }

    /**
     * Sources the script as bin/karaf does, in a POSIX shell, with the configuration in {@link #etc} and the JDK at
     * {@code javaHome}, then runs {@code after} in that shell.
     */
    private String source(String path, String javaHome, String after, Map<String, String> environment)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("pistream-setenv", ".out");
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", ". \"$1\"; " + after, "setenv",
                SCRIPT.toString()).redirectErrorStream(true).redirectOutput(out.toFile());
        builder.environment().put("KARAF_ETC", etc.toString());
        builder.environment().put("JAVA_HOME", javaHome);
        builder.environment().put("PATH", path);
        builder.environment().remove("G_SLICE");
        builder.environment().putAll(environment);
        Process shell = builder.start();
        assertTrue("setenv ended", shell.waitFor(30, TimeUnit.SECONDS));
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(output, 0, shell.exitValue());
        return output;
    }
}
