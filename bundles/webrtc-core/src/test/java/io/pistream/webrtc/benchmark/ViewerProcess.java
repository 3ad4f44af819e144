package io.pistream.webrtc.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process of viewers ({@link ConsumerSwarm}'s webrtcbin consumers, or any other main class that serves
 * {@link ViewerCommandLoop}) on the current class path, driven over its stdin/stdout: add viewers, read their
 * frame counts, so that their CPU is not counted as the server's.
 */
public final class ViewerProcess implements AutoCloseable {

    /** System property of a viewer process: its viewers' jitter buffer in ms (unset: webrtcbin's 200 ms). */
    public static final String JITTER_PROPERTY = "pistream.viewer.latency";

    private final String kind;
    private final Process process;
    private final PrintWriter commands;
    private final BufferedReader answers;
    private int sessionsPlayed;

    private ViewerProcess(String kind, List<String> jvmOptions, String mainClass, String... args) throws IOException {
        this.kind = kind;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Djna.nosys=true", "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(Arrays.asList(args));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        commands = new PrintWriter(process.getOutputStream(), true);
        answers = new BufferedReader(new InputStreamReader(process.getInputStream()));
    }

    /** Viewers of the class {@code mainClass}, started with {@code args}; {@code kind} names them in errors. */
    public static ViewerProcess start(String kind, String mainClass, String... args) throws IOException {
        return new ViewerProcess(kind, List.of(), mainClass, args);
    }

    /** As {@link #start(String, String, String...)}, with a jitter buffer of {@code jitterMillis} (-1: default). */
    public static ViewerProcess start(String kind, int jitterMillis, String mainClass, String... args)
            throws IOException {
        return new ViewerProcess(kind, jitterOption(jitterMillis), mainClass, args);
    }

    /**
     * WebRTC viewers of a producer given by peer id or as {@code name:<meta name>}, trusting {@code ca} for
     * {@code wss://} (null: the JDK's trust store).
     */
    public static ViewerProcess webRtc(String signallingUrl, String producer, Path ca) throws IOException {
        return ca == null ? start("WebRTC", ConsumerSwarm.class.getName(), signallingUrl, producer)
                : start("WebRTC", ConsumerSwarm.class.getName(), signallingUrl, producer, ca.toString());
    }

    /** As {@link #webRtc(String, String, Path)}, signing in to the signalling server with {@code token}. */
    public static ViewerProcess webRtc(String signallingUrl, String producer, Path ca, String token)
            throws IOException {
        return webRtc(signallingUrl, producer, ca, token, -1);
    }

    /** As {@link #webRtc(String, String, Path, String)}, with a jitter buffer of {@code jitterMillis} (-1: default). */
    public static ViewerProcess webRtc(String signallingUrl, String producer, Path ca, String token,
            int jitterMillis) throws IOException {
        List<String> options = new ArrayList<>(jitterOption(jitterMillis));
        options.add("-Dpistream.signalling.token=" + token);
        return new ViewerProcess("WebRTC", options, ConsumerSwarm.class.getName(), signallingUrl, producer,
                ca.toString());
    }

    private static List<String> jitterOption(int jitterMillis) {
        return jitterMillis < 0 ? List.of() : List.of("-D" + JITTER_PROPERTY + "=" + jitterMillis);
    }

    /** Adds viewers and waits until every viewer of this process has frames. */
    public void add(int count, boolean decode, long timeoutMillis) throws IOException, InterruptedException {
        if (count == 0) {
            return;
        }
        commands.println("add " + count + " " + decode);
        expect("added");
        sessionsPlayed += count;
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            long[] frames = frames();
            if (frames.length > 0 && Arrays.stream(frames).allMatch(f -> f > 0)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IOException(kind + " viewers without frames after " + timeoutMillis / 1000 + " s: "
                + Arrays.toString(frames()));
    }

    /** How many viewers this process has started, those it closed included. */
    public int sessionsPlayed() {
        return sessionsPlayed;
    }

    /** Closes every viewer of this process (they leave as viewers do); the process takes more afterwards. */
    public void drop() throws IOException {
        commands.println("drop");
        expect("dropped");
    }

    public long[] frames() throws IOException {
        return column(0);
    }

    public long[] firstFrameMillis() throws IOException {
        return column(1);
    }

    private long[] column(int index) throws IOException {
        commands.println("report");
        String[] parts = expect("report").split(" ");
        long[] values = new long[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            values[i - 1] = Long.parseLong(parts[i].split(":")[index]);
        }
        return values;
    }

    private String expect(String prefix) throws IOException {
        String line;
        while ((line = answers.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("the " + kind + " viewer process ended");
    }

    @Override
    public void close() throws InterruptedException {
        commands.println("quit");
        try {
            expect("bye");
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
