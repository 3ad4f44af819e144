package io.pistream.janus.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Janus (package {@code janus}) in a process of its own, with only the streaming plugin and the HTTP
 * transport, its API on 127.0.0.1 at a free port. Janus gathers no ICE candidate on loopback, so its tests run in a
 * network namespace of their own ({@code testing/network-namespace/bin/java}) whose one other address is where it
 * meets its viewers. Its configuration is written to a folder of the test.
 */
public final class JanusServer implements AutoCloseable {

    public static final String ADMIN_KEY = "streaming-admin-key";
    private static final Path LIB = Path.of("/usr/lib/" + multiarch() + "/janus");

    private final Path folder;
    private final int port;
    private Process process;
    private int starts;

    public JanusServer(Path folder) throws IOException {
        this.folder = folder;
        this.port = freeTcpPort();
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Path transports = Files.createDirectories(folder.resolve("transports"));
        Path none = Files.createDirectories(folder.resolve("none"));
        // only what the test needs: the other plugins and transports would open ports and threads
        Files.createSymbolicLink(plugins.resolve("libjanus_streaming.so"),
                LIB.resolve("plugins/libjanus_streaming.so"));
        Files.createSymbolicLink(transports.resolve("libjanus_http.so"), LIB.resolve("transports/libjanus_http.so"));
        Files.writeString(folder.resolve("janus.jcfg"), """
                general: {
                  configs_folder = "%s"
                  plugins_folder = "%s"
                  transports_folder = "%s"
                  events_folder = "%s"
                  loggers_folder = "%s"
                  debug_level = 5
                  session_timeout = 60
                }
                media: {
                  rtp_port_range = "12000-16000"
                }
                """.formatted(folder, plugins, transports, none, none));
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), """
                general: {
                  json = "plain"
                  base_path = "/janus"
                  http = true
                  port = %d
                  ip = "127.0.0.1"
                  https = false
                }
                admin: {
                  admin_http = false
                }
                """.formatted(port));
        Files.writeString(folder.resolve("janus.plugin.streaming.jcfg"), """
                general: {
                  admin_key = "%s"
                  rtp_port_range = "12000-16000"
                }
                """.formatted(ADMIN_KEY));
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/janus");
    }

    /** Janus's output, kept under target/ after the test for whoever reads a failure. */
    public Path log() {
        return Path.of("target", "janus-logs", "janus-" + port + "-" + starts + ".log");
    }

    /** The last lines Janus logged, for failure messages. */
    public String logTail(int lines) throws IOException {
        List<String> all = Files.readAllLines(log());
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Starts Janus and waits until its HTTP API answers. */
    public JanusServer start() throws Exception {
        starts++;
        Files.createDirectories(log().getParent());
        process = new ProcessBuilder("janus", "-C", folder.resolve("janus.jcfg").toString(), "-F", folder.toString(),
                "-o").redirectErrorStream(true).redirectOutput(log().toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Janus exited: " + Files.readString(log()));
            }
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url() + "/info"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200 && answer.body().contains("janus.plugin.streaming")) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Janus did not answer within 20 s: " + Files.readString(log()));
    }

    /** Stops Janus (SIGTERM, then SIGKILL) and waits for the process to end. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    public static boolean installed() {
        return Files.isRegularFile(LIB.resolve("plugins/libjanus_streaming.so"))
                && Files.isRegularFile(LIB.resolve("transports/libjanus_http.so"));
    }

    private static String multiarch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") ? "aarch64-linux-gnu" : arch.startsWith("arm") ? "arm-linux-gnueabihf"
                : "x86_64-linux-gnu";
    }

    static int freeTcpPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
