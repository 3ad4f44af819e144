package io.pistream.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The native reference: a C program on gst-rtsp-server serving one launch line, as its test-launch example. */
final class NativeRtspServer implements AutoCloseable {

    private final Process process;

    private NativeRtspServer(Process process) {
        this.process = process;
    }

    /** Compiles the program with gcc (needs libgstrtspserver-1.0-dev). */
    static Path build(Path source, Path work) throws IOException, InterruptedException {
        Path binary = work.resolve("test-launch");
        String flags = Commands.run(Duration.ofSeconds(30), "pkg-config", "--cflags", "--libs",
                "gstreamer-rtsp-server-1.0", "gstreamer-1.0").trim();
        List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-o", binary.toString(),
                source.toString()));
        command.addAll(Arrays.asList(flags.split("\\s+")));
        Commands.run(Duration.ofMinutes(1), command.toArray(String[]::new));
        return binary;
    }

    /** Starts the server (shared media: one pipeline for all clients) and waits until it listens. */
    static NativeRtspServer start(Path binary, int port, String path, String launch) throws IOException {
        Process process = new ProcessBuilder(binary.toString(), Integer.toString(port), path, "1",
                "( " + launch + " )").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String line = new BufferedReader(new InputStreamReader(process.getInputStream())).readLine();
        if (line == null || !line.startsWith("READY")) {
            process.destroyForcibly();
            throw new IOException("the native RTSP server did not start on port " + port);
        }
        return new NativeRtspServer(process);
    }

    String pid() {
        return Long.toString(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
