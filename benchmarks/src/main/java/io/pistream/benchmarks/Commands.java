package io.pistream.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs short external commands. */
final class Commands {

    private Commands() {
    }

    /** Runs a command to its end and returns what it printed; fails on a non-zero exit or a timeout. */
    static String run(Duration timeout, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no end after " + timeout.toSeconds() + " s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + process.exitValue() + ": " + text);
        }
        return text;
    }

    /**
     * Runs a diagnostic command in a running JVM through the jcmd beside that JVM's own java (the one that can attach
     * to it); fails on a JVM without jcmd, as a bare runtime is.
     */
    static String jcmd(String pid, String command) throws IOException, InterruptedException {
        Path jcmd = Files.readSymbolicLink(Path.of("/proc", pid, "exe")).resolveSibling("jcmd");
        return run(Duration.ofSeconds(60), jcmd.toString(), pid, command);
    }
}
