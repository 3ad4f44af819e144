package io.pistream.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.pistream.api.security.AccessControl;
import io.pistream.security.internal.Argon2Passwords;

/**
 * The pistream distribution under test: unpacked from its archive into a folder of its own, configured through
 * {@code etc/} and {@code deploy/} the way an operator does it, started with {@code bin/karaf server}.
 */
final class Container implements AutoCloseable {

    /** The RTSP port as shipped. */
    static final int RTSP_PORT = 8554;
    /**
     * The user the benchmarks watch and talk as (viewer, talk and admin, for the admin-only launch mounts): written
     * into etc/ before the first start as the platform stores users (an Argon2id hash and the RTSP Digest secret),
     * so that a first start costs what a device's does, whose generated password the first-start script hashed.
     */
    static final String USER = "bench";
    static final String PASSWORD = "benchmark-password";
    /** The ports the platform listens on as shipped: RTSP, and HTTPS/WSS for the web app and signalling. */
    private static final int[] PORTS = {RTSP_PORT, 8443};

    private final Path home;
    private Process launcher;
    private long startedNanos;
    private String viewerToken;

    private Container(Path home) {
        this.home = home;
    }

    /** Unpacks a fresh copy of the distribution under {@code work}. */
    static Container unpack(Path archive, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Commands.run(Duration.ofMinutes(2), "tar", "xzf", archive.toString(), "-C", work.toString());
        try (var entries = Files.list(work)) {
            Path home = entries.filter(p -> p.getFileName().toString().startsWith("pistream-")).findFirst()
                    .orElseThrow(() -> new IOException("no pistream-* folder in " + archive));
            String hash = new Argon2Passwords(Argon2Passwords.DEFAULT_COST).hash(PASSWORD);
            Files.writeString(home.resolve("etc/users.properties"), USER + " = {CRYPT}" + hash
                    + "{CRYPT},_g_:admingroup,talk\n", java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(home.resolve("etc/pistream.digest"), USER + ":" + AccessControl.REALM + ":"
                    + md5(USER + ":" + AccessControl.REALM + ":" + PASSWORD) + "\n");
            return new Container(home);
        }
    }

    Path home() {
        return home;
    }

    /**
     * Adds a feature to those installed at boot the way the Debian package and {@code ./pistream.sh start} add
     * {@code pistream}: in Karaf's own boot stage, after {@code kar}. (In a stage of its own, its JNA would make
     * the resolver refresh the shell, whose jline imports JNA optionally, and everything wired to it, the media
     * hub included: about a second more at the first start.)
     */
    void bootFeature(String feature) throws IOException {
        Path file = home.resolve("etc/org.apache.karaf.features.cfg");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int line = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches(" {4}kar/[0-9.]+")) {
                line = i;
            }
        }
        if (line < 0) {
            throw new IOException("no boot stage ending with kar in " + file);
        }
        lines.set(line, lines.get(line) + ", \\");
        lines.add(line + 1, "    " + feature);
        Files.write(file, lines);
    }

    /** Writes {@code etc/<name>.cfg}; Karaf applies it at boot or within a second while running. */
    void configure(String name, String... lines) throws IOException {
        Path file = home.resolve("etc").resolve(name + ".cfg");
        Path temporary = home.resolve("etc").resolve(name + ".cfg.tmp");
        Files.writeString(temporary, String.join("\n", lines) + "\n");
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void unconfigure(String name) throws IOException {
        Files.deleteIfExists(home.resolve("etc").resolve(name + ".cfg"));
    }

    /** Hot-deploys a bundle by dropping it into {@code deploy/}. */
    void deploy(Path bundle) throws IOException {
        Files.copy(bundle, home.resolve("deploy").resolve(bundle.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A viewer token for the WebRTC viewers, issued once by the running platform (pistream:token create). */
    synchronized String viewerToken() throws IOException {
        if (viewerToken != null) {
            return viewerToken;
        }
        Process client = new ProcessBuilder(home.resolve("bin/client").toString(), "-u", USER, "-p", PASSWORD, "-b")
                .directory(home.toFile()).redirectErrorStream(true).start();
        try (OutputStream in = client.getOutputStream()) {
            in.write("pistream:token create --role viewer --label benchmark --days 1\n".getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        // the token is alone on the last line
        String[] lines = output.trim().split("\n");
        String last = lines[lines.length - 1].trim();
        if (last.split("\\.").length != 3) {
            throw new IOException("pistream:token create did not print a token: " + output);
        }
        viewerToken = last;
        return viewerToken;
    }

    Path caCertificate() {
        return home.resolve("etc/pki/ca.crt");
    }

    void start() throws IOException, InterruptedException {
        awaitFreePorts(Duration.ofSeconds(30));
        startedNanos = System.nanoTime();
        launcher = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(home.resolve("console.log").toFile()).start();
    }

    /**
     * Another server on these ports would answer in the container's place and be measured instead; a process that
     * is still stopping gets a moment to release them.
     */
    private static void awaitFreePorts(Duration patience) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        for (int port : PORTS) {
            while (!free(port)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("port " + port + " is in use by another program; the benchmarks start the "
                            + "platform on ports " + Arrays.toString(PORTS) + " and need them free");
                }
                Thread.sleep(200);
            }
        }
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Milliseconds since {@link #start()}. */
    long sinceStartMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    /** The JVM of the container (a child of the {@code bin/karaf} script). */
    String javaPid() throws IOException {
        Optional<ProcessHandle> java = launcher.toHandle().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst();
        return Long.toString(java.orElseThrow(() -> new IOException("the container's JVM is not running; see "
                + home.resolve("console.log"))).pid());
    }

    /**
     * Null while the container's JVM runs; once it has ended, why, as the JVM's last word on the console (an
     * OutOfMemoryError, say) or the log to read.
     */
    String death() throws IOException {
        if (launcher != null && launcher.toHandle().descendants().anyMatch(p -> p.info().command()
                .map(c -> c.endsWith("/java")).orElse(false))) {
            return null;
        }
        Path console = home.resolve("console.log");
        String last = Files.exists(console) ? Files.readAllLines(console).stream()
                .filter(line -> line.contains("Terminating") || line.contains("Error")).reduce((a, b) -> b)
                .orElse("") : "";
        return (last.isEmpty() ? "the JVM ended" : last.trim()) + "; see " + console;
    }

    /** The container's RTSP URL of a mount path, with the benchmark user's credentials (rtspsrc logs in with them). */
    static String rtspUrl(String path) {
        return "rtsp://" + USER + ":" + PASSWORD + "@127.0.0.1:" + RTSP_PORT + path;
    }

    private static String rtspAddress(String path) {
        return "rtsp://127.0.0.1:" + RTSP_PORT + path;
    }

    /**
     * Waits until an RTSP DESCRIBE of {@code path} on 127.0.0.1:8554 is answered 200 (the stream is ready to
     * play) and returns the milliseconds since start.
     */
    long awaitStream(String path, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!launcher.isAlive()) {
                throw new IOException("the container stopped; see " + home.resolve("console.log"));
            }
            last = describe(path);
            if (last.startsWith("RTSP/1.0 200")) {
                return sinceStartMillis();
            }
            Thread.sleep(50);
        }
        throw new IOException(rtspAddress(path) + " not ready after " + timeout.toSeconds() + " s: "
                + last + "; see " + home.resolve("data/log/karaf.log"));
    }

    /** The status line of a DESCRIBE (logged in with Digest when challenged), or why there was none. */
    static String describe(String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", RTSP_PORT), 500);
            socket.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            List<String> answer = describe(socket.getOutputStream(), in, path, 1, null);
            if (answer.isEmpty()) {
                return "connection closed";
            }
            String challenge = answer.stream().filter(h -> h.regionMatches(true, 0, "WWW-Authenticate: Digest", 0, 24))
                    .findFirst().orElse(null);
            if (answer.get(0).startsWith("RTSP/1.0 401") && challenge != null) {
                answer = describe(socket.getOutputStream(), in, path, 2, digest(challenge, "DESCRIBE", rtspAddress(path)));
            }
            return answer.isEmpty() ? "connection closed" : answer.get(0);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Sends a DESCRIBE and returns the answer's status line and headers (the body is not needed). */
    private static List<String> describe(OutputStream out, BufferedReader in, String path, int sequence,
            String authorization) throws IOException {
        out.write(("DESCRIBE " + rtspAddress(path) + " RTSP/1.0\r\nCSeq: " + sequence + "\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Accept: application/sdp\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> head = new ArrayList<>();
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            head.add(line);
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.skip(length);
        return head;
    }

    /** RFC 2617 Digest (no qop), as gst-rtsp-server asks for it. */
    private static String digest(String challenge, String method, String uri) {
        String realm = parameter(challenge, "realm");
        String nonce = parameter(challenge, "nonce");
        String ha1 = md5(USER + ":" + realm + ":" + PASSWORD);
        String ha2 = md5(method + ":" + uri);
        return "Digest username=\"" + USER + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", response=\"" + md5(ha1 + ":" + nonce + ":" + ha2) + "\"";
    }

    private static String parameter(String header, String name) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(name + "=\"([^\"]*)\"").matcher(header);
        return matcher.find() ? matcher.group(1) : "";
    }

    private static String md5(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (launcher == null) {
            return;
        }
        try {
            Commands.run(Duration.ofSeconds(30), home.resolve("bin/stop").toString());
        } catch (IOException e) {
            // the container may already be gone, or not answer: make sure below
        }
        if (!launcher.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
        }
        launcher = null;
    }
}
