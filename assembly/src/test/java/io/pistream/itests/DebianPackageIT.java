package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The Debian package as a user gets it: lintian finds no error, systemd accepts the unit, and the package's tree,
 * unpacked into a scratch root, runs the unit's own command as an unprivileged user: the admin password is in the
 * state directory and in the output (the journal, under systemd), every feature of pistream comes up from Karaf's
 * own boot stage, ffprobe plays /camera, the secrets live in the state directory behind links in the configuration
 * directory, and SIGTERM (what {@code systemctl stop} sends) ends the platform cleanly.
 * <p>Installing with dpkg (maintainer scripts, the pistream user, systemd) needs a machine of its own:
 * {@code packaging/arm64-check.sh} does that in an arm64 root.
 */
public class DebianPackageIT {

    private static Path deb;
    private static Path root;

    @BeforeClass
    public static void unpack() throws Exception {
        Path target = Path.of(System.getProperty("pistream.distribution")).getParent();
        try (Stream<Path> files = Files.list(target)) {
            deb = files.filter(file -> file.getFileName().toString().matches("pistream_.*_all\\.deb"))
                    .findFirst().orElseThrow(() -> new AssertionError("no pistream_<version>_all.deb in " + target));
        }
        root = Files.createTempDirectory("pistream-deb");
        Result unpacked = run(60, List.of("dpkg-deb", "-x", deb.toString(), root.toString()));
        assertEquals(unpacked.output, 0, unpacked.exitCode);
    }

    @AfterClass
    public static void removeRoot() throws Exception {
        if (root != null) {
            run(60, List.of("rm", "-rf", root.toString()));
        }
    }

    @Test
    public void lintianFindsNoError() throws Exception {
        Result lintian = run(600, List.of("lintian", "--fail-on", "error", "--no-tag-display-limit", deb.toString()));
        List<String> errors = lintian.output.lines().filter(line -> line.startsWith("E:")).collect(Collectors.toList());
        assertTrue("lintian: " + errors, errors.isEmpty());
        assertEquals(lintian.output, 0, lintian.exitCode);
        System.out.println("lintian: " + lintian.output.lines().filter(line -> line.startsWith("W:")).count()
                + " warning(s), no error");
    }

    @Test
    public void systemdAcceptsTheUnit() throws Exception {
        Path unit = root.resolve("lib/systemd/system/pistream.service");
        String text = Files.readString(unit);
        assertTrue(text.contains("ExecStart=/usr/share/pistream/bin/pistream-service"));
        assertTrue(text.contains("User=pistream"));
        assertTrue(text.contains("Restart=on-failure"));
        assertTrue(text.contains("ProtectSystem=strict"));
        // verify checks that ExecStart exists: point it at the unpacked launcher, nothing else changes
        Path copy = Files.createTempDirectory("pistream-unit").resolve("pistream.service");
        Files.writeString(copy, text.replace("/usr/share/pistream/bin/pistream-service",
                root.resolve("usr/share/pistream/bin/pistream-service").toString()));
        Result verify = run(60, List.of("systemd-analyze", "verify", copy.toString()));
        assertEquals(verify.output, 0, verify.exitCode);
        assertEquals("no warning about the unit", "", verify.output.strip());
        Result security = run(60, List.of("systemd-analyze", "security", "--offline=true", copy.toString()));
        Matcher exposure = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+)").matcher(security.output);
        assertTrue(security.output, exposure.find());
        System.out.println("systemd-analyze security: exposure " + exposure.group(1));
        assertTrue("hardened: " + exposure.group(1), Double.parseDouble(exposure.group(1)) < 5.0);
    }

    @Test
    public void theLayoutKeepsCodeConfigurationAndStateApart() throws Exception {
        Path home = root.resolve("usr/share/pistream");
        assertTrue(Files.isExecutable(home.resolve("bin/karaf")));
        assertTrue(Files.isExecutable(home.resolve("bin/pistream-service")));
        assertTrue(Files.isDirectory(home.resolve("system/io/pistream")));
        assertFalse("no etc/ with the code", Files.exists(home.resolve("etc")));
        assertFalse("no data/ with the code", Files.exists(home.resolve("data")));
        assertTrue(Files.exists(root.resolve("etc/pistream/org.apache.karaf.features.cfg")));
        Result contents = run(60, List.of("dpkg-deb", "-c", deb.toString()));
        assertTrue(contents.output.contains(" ./etc/pistream/org.apache.karaf.features.cfg\n"));
        assertFalse("no user is shipped", contents.output.contains("etc/pistream/users.properties"));
        assertFalse("no password is shipped", contents.output.contains("admin.password"));
        assertTrue(Files.exists(root.resolve("usr/share/doc/pistream/copyright")));

        Result control = run(60, List.of("dpkg-deb", "-I", deb.toString(), "conffiles"));
        assertTrue(control.output, control.output.contains("/etc/pistream/org.apache.karaf.features.cfg"));
        assertTrue(control.output, control.output.contains("/etc/pistream/io.pistream.security.cfg"));
        Result fields = run(60, List.of("dpkg-deb", "-f", deb.toString(), "Depends", "Architecture"));
        assertTrue(fields.output, fields.output.contains("openjdk-17-jre-headless"));
        assertTrue(fields.output, fields.output.contains("libgstrtspserver-1.0-0"));
        assertTrue(fields.output, fields.output.contains("argon2"));
        assertTrue(fields.output, fields.output.contains("Architecture: all"));
    }

    @Test
    public void theServiceCommandRunsUnprivilegedServesTheCameraAndStopsOnSigterm() throws Exception {
        Path home = root.resolve("usr/share/pistream");
        Path etc = root.resolve("etc/pistream");
        Path state = Files.createDirectories(root.resolve("var/lib/pistream"));
        String rtspPort = PistreamTestSupport.freePort();
        // the unit's ports, free ones for the test; the rest of the configuration is the package's
        Files.writeString(etc.resolve("io.pistream.rtsp.cfg"), "port = " + rtspPort + "\ntls.port = "
                + PistreamTestSupport.freePort() + "\n");
        edit(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port.secure", PistreamTestSupport.freePort());
        edit(etc.resolve("org.ops4j.pax.web.cfg"), "org.osgi.service.http.port", PistreamTestSupport.freePort());
        String sshPort = PistreamTestSupport.freePort();
        edit(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", sshPort);
        // no JMX ports to move: the package installs no `management` feature
        assertFalse("JMX is not installed", Files.exists(etc.resolve("org.apache.karaf.management.cfg")));

        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // as systemd would run it: an unprivileged user that owns only the configuration and the state
            run(60, List.of("chown", "-R", "nobody:nogroup", etc.toString(), state.toString()));
            run(60, List.of("chmod", "755", root.toString()));
            command.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"));
        }
        command.add(home.resolve("bin/pistream-service").toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PISTREAM_HOME", home.toString());
        builder.environment().put("PISTREAM_ETC", etc.toString());
        builder.environment().put("PISTREAM_STATE", state.toString());
        File log = state.resolveSibling("pistream-service.out").toFile();
        builder.redirectOutput(log);
        Process service = builder.start();
        try {
            Path passwordFile = state.resolve("admin.password");
            String password = null;
            List<String> codecs = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
            while (System.nanoTime() < deadline && service.isAlive()) {
                if (password == null && Files.isReadable(passwordFile)) {
                    password = Files.readString(passwordFile).strip();
                }
                if (password != null && !password.isEmpty()) {
                    Result probe = run(40, List.of("ffprobe", "-v", "error", "-rtsp_transport", "tcp",
                            "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                            "rtsp://admin:" + password + "@127.0.0.1:" + rtspPort + "/camera"));
                    codecs = probe.output.lines().map(String::strip).filter(line -> line.matches("[a-z0-9]+"))
                            .collect(Collectors.toList());
                    if (probe.exitCode == 0 && codecs.contains("h264")) {
                        break;
                    }
                }
                Thread.sleep(2000);
            }
            String output = Files.readString(log.toPath());
            assertTrue("the service runs: " + tail(output), service.isAlive());
            assertNotNull("the first start made the admin password", password);
            assertEquals("/camera over RTSP: " + tail(output), List.of("h264", "opus"), codecs);
            assertTrue("the password is in the output (the journal): " + tail(output),
                    output.contains("the password of user 'admin' is " + password));

            for (String secret : List.of("users.properties", "admin.password", "pistream-token.key", "pistream.digest",
                    "pki")) {
                Path link = etc.resolve(secret);
                assertTrue(secret + " is a link in the configuration directory", Files.isSymbolicLink(link));
                assertEquals(state.resolve(secret), Files.readSymbolicLink(link));
                assertTrue(secret + " is in the state directory", Files.exists(state.resolve(secret)));
            }
            assertTrue(Files.exists(state.resolve("pki/ca.crt")));
            // the media path starts before the web stack (start level 29): /camera can answer before Jetty started
            String karafLog = Files.readString(state.resolve("data/log/karaf.log"));
            for (long until = System.nanoTime() + 60_000_000_000L; !karafLog.contains("| Started @")
                    && System.nanoTime() < until; ) {
                Thread.sleep(500);
                karafLog = Files.readString(state.resolve("data/log/karaf.log"));
            }
            assertFalse(karafLog.contains("Unknown protocol: mvn"));
            // the first start's script stored the generated password hashed (argon2 is among the Depends)
            assertFalse("the platform had no password in clear to hash",
                    karafLog.contains("stored as Argon2id hashes now (they were in clear text)"));
            // a start that went well says so: no ERROR line (a bundle's embedded jar the JDK refused was one)
            assertEquals("ERROR entries in karaf.log, with their stack traces", List.of(), errorEntries(karafLog));
            // the boot starts SCR once (no refresh of it, no second SCR) and Jetty once (its certificate was made
            // before it started, not after, which restarted it)
            assertEquals("SCR starts", 1, karafLog.lines().filter(line -> line.contains("org.apache.felix.scr")
                    && line.contains("Starting with globalExtender")).count());
            assertEquals("Jetty starts", 1, PistreamTestSupport.linesWith(karafLog, "| Started @"));
            assertTrue("pistream in Karaf's boot stage", karafLog.matches("(?s).*Adding features: .*pistream/\\[.*"));
            // the launcher patches no JDK module, so the JVM maps the JDK's class data sharing archive
            assertFalse(tail(output), output.contains("Error starting karaf activator"));
            List<String> sharing = new ArrayList<>();
            for (ProcessHandle process : (Iterable<ProcessHandle>) java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(service.toHandle()), service.toHandle().descendants())::iterator) {
                Path maps = Path.of("/proc", String.valueOf(process.pid()), "maps");
                if (Files.isReadable(maps) && Files.readString(maps).contains("classes.jsa")) {
                    sharing.add(process.info().command().orElse("?"));
                    // this machine's Java 17 has the flag: freed native memory goes back to the system every 10 s
                    String commandLine = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"));
                    assertTrue(commandLine, commandLine.contains("-XX:TrimNativeHeapInterval=10000"));
                    // the SSH server leaves the JCA to the JDK (no BouncyCastle provider, 740 classes fewer)
                    assertTrue(commandLine, commandLine.contains("-Dorg.apache.sshd.security.provider.BC.enabled=false"));
                }
            }
            assertEquals("processes of the service that map the JDK's CDS archive", 1, sharing.size());

            // and the console answers an OpenSSH client that logs in with the administrator's password
            Path askPass = Files.createTempFile("pistream-askpass", ".sh");
            Files.writeString(askPass, "#!/bin/sh\ncat '" + passwordFile + "'\n");
            askPass.toFile().setExecutable(true);
            ProcessBuilder ssh = new ProcessBuilder("setsid", "-w", "ssh", "-o", "StrictHostKeyChecking=no", "-o",
                    "UserKnownHostsFile=/dev/null", "-o", "PreferredAuthentications=password", "-p", sshPort,
                    "admin@127.0.0.1", "system:version");
            ssh.environment().put("SSH_ASKPASS", askPass.toString());
            ssh.environment().put("SSH_ASKPASS_REQUIRE", "force");
            Result console = run(60, ssh);
            assertTrue("ssh admin@device system:version: " + console.output,
                    console.output.lines().anyMatch(line -> line.strip().matches("4\\.4\\.[0-9]+")));

            long stopping = System.nanoTime();
            service.destroy(); // SIGTERM, as systemctl stop
            assertTrue("stops within the unit's TimeoutStopSec", service.waitFor(60, TimeUnit.SECONDS));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
            int status = service.exitValue();
            assertTrue("exit status " + status + " (the unit counts 143, SIGTERM, as success)",
                    status == 0 || status == 143);
            String afterStop = Files.readString(state.resolve("data/log/karaf.log"));
            assertTrue("the bundles were stopped, the RTSP server with them: " + tail(afterStop),
                    afterStop.contains("RTSP server on port " + rtspPort + " stopped"));
            // once: the users' store going away while Karaf stops rebuilt the security service, and the RTSP server
            // that waits for it listened again for a moment
            assertEquals("RTSP server starts and stops: " + tail(afterStop), List.of(1L, 1L),
                    List.of(PistreamTestSupport.linesWith(afterStop, "RTSP server listening on "),
                            PistreamTestSupport.linesWith(afterStop, "RTSP server on port ")));
            // the stop leaves the administrator's password file and RTSP secret as they were (the realm going away
            // once made the platform write a new password nobody could log in with over both)
            assertEquals("admin.password after the stop", password, Files.readString(passwordFile).strip());
            assertTrue(tail(afterStop), Files.readAllLines(state.resolve("pistream.digest"))
                    .contains("admin:pistream:" + PistreamTestSupport.md5Hex("admin:pistream:" + password)));
            System.out.println("pistream-service: /camera played by ffprobe, SIGTERM to exit in " + millis + " ms");
        } finally {
            if (service.isAlive()) {
                service.destroyForcibly();
                service.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void edit(Path file, String key, String value) throws IOException {
        List<String> lines = Files.readAllLines(file);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(Pattern.quote(key) + "\\s*=.*")) {
                lines.set(i, key + " = " + value);
                found = true;
            }
        }
        assertTrue(key + " in " + file, found);
        Files.write(file, lines);
    }

    /** Each ERROR line of a Karaf log with the lines that follow it up to the next entry (its stack trace). */
    private static List<String> errorEntries(String karafLog) {
        List<StringBuilder> entries = new ArrayList<>();
        StringBuilder current = null;
        for (String line : (Iterable<String>) karafLog.lines()::iterator) {
            if (line.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
                current = line.contains("| ERROR |") ? new StringBuilder(line) : null;
                if (current != null) {
                    entries.add(current);
                }
            } else if (current != null && current.length() < 8000) {
                current.append('\n').append(line);
            }
        }
        return entries.stream().map(StringBuilder::toString).collect(Collectors.toList());
    }

    private static String tail(String text) {
        return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(int seconds, List<String> command) throws IOException, InterruptedException {
        return run(seconds, new ProcessBuilder(command));
    }

    private static Result run(int seconds, ProcessBuilder builder) throws IOException, InterruptedException {
        List<String> command = builder.command();
        Path out = Files.createTempFile("pistream-deb", ".out");
        try {
            Process process = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(command + " took more than " + seconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
