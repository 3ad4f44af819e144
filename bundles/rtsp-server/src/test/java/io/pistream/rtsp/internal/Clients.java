package io.pistream.rtsp.internal;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;

/** Real RTSP clients started as processes: ffprobe and gst-launch-1.0 with rtspsrc. */
final class Clients {

    private static final Pattern CODEC_NAME = Pattern.compile("\"codec_name\"\\s*:\\s*\"([^\"]+)\"");

    private Clients() {
    }

    record Result(int exitCode, String output, long millis) {
    }

    /** Runs a command to its end (or kills it after the timeout, exit code -1), stdout and stderr merged. */
    static Result run(long timeoutMillis, String... command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        Thread reader = drain(process.getInputStream(), output);
        boolean finished = process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        reader.join(5000);
        synchronized (output) {
            return new Result(finished ? process.exitValue() : -1, output.toString(),
                    (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The codec names ffprobe reports for the streams of {@code url}. */
    static List<String> ffprobeCodecs(String url, String transport) throws IOException, InterruptedException {
        Result result = run(30_000, "ffprobe", "-v", "error", "-rtsp_transport", transport, "-show_streams", "-of",
                "json", url);
        if (result.exitCode() != 0) {
            throw new AssertionError("ffprobe -rtsp_transport " + transport + " " + url + " exited "
                    + result.exitCode() + ": " + result.output());
        }
        List<String> codecs = new ArrayList<>();
        Matcher matcher = CODEC_NAME.matcher(result.output());
        while (matcher.find()) {
            codecs.add(matcher.group(1));
        }
        return codecs;
    }

    /**
     * {@code rtspsrc ! rtph264depay ! avdec_h264 ! fakesink} printing one line per decoded frame; with
     * {@code frames > 0} it ends (exit 0) after that many frames. The decoder outputs no frame before a key frame
     * ({@code output-corrupt=false}; by default it shows whatever it can decode from delta frames).
     */
    static String[] decodeCommand(String url, String protocols, int frames) {
        // timeout: rtspsrc gives up on UDP after 5 s without a packet; ten players and a loaded machine can take
        // longer to get going, which is not what these tests look at
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-v", "rtspsrc", "location=" + url,
                "latency=0", "protocols=" + protocols, "timeout=30000000", "!", "rtph264depay", "!", "avdec_h264",
                "output-corrupt=false", "!", "fakesink",
                "name=sink", "silent=false"));
        if (frames > 0) {
            command.add("num-buffers=" + frames);
        }
        return command.toArray(String[]::new);
    }

    /**
     * Whether a {@link #decodeCommand} run played to its end: it exited 0, or it reached end of stream and only
     * failed afterwards while tearing down (rtspsrc reports "Could not send message" when the server closes the
     * connection before the client's PAUSE/TEARDOWN, which is what the client itself asked for).
     */
    static boolean playedToTheEnd(Result result) {
        return result.exitCode() == 0 || result.output().contains("Got EOS from element");
    }

    /** The end of a client's output, for assertion messages. */
    static String tail(String output) {
        return output.length() > 2000 ? output.substring(output.length() - 2000) : output;
    }

    /** Decoded frames in the output of {@link #decodeCommand}. */
    static int decodedFrames(String output) {
        int count = 0;
        for (String line : output.split("\n")) {
            if (line.contains("sink: last-message = chain")) {
                count++;
            }
        }
        return count;
    }

    /** A client process whose decoded frames are counted as they come. */
    static final class Player implements AutoCloseable {
        private static final int HEAD_CHARS = 6_000;
        private static final int TAIL_LINES = 40;
        final Process process;
        final AtomicInteger frames = new AtomicInteger();
        final AtomicLong firstFrameNanos = new AtomicLong();
        final long startNanos = System.nanoTime();
        /** The first lines the player printed (its setup), then {@link #tail} keeps the latest. */
        private final StringBuilder output = new StringBuilder();
        private final ArrayDeque<String> tail = new ArrayDeque<>();
        private long linesLeftOut;

        Player(String... command) throws IOException {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Thread thread = new Thread(() -> {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        if (line.contains("sink: last-message = chain")) {
                            if (frames.incrementAndGet() == 1) {
                                firstFrameNanos.set(System.nanoTime());
                            }
                        } else {
                            keep(line);
                        }
                    }
                } catch (IOException e) {
                    // process gone
                }
            }, "player-output");
            thread.setDaemon(true);
            thread.start();
        }

        static Player decode(String url, String protocols) throws IOException {
            return new Player(decodeCommand(url, protocols, 0));
        }

        /** What the player printed apart from its frames: its first lines and its last ones. */
        String output() {
            synchronized (output) {
                return output + (linesLeftOut > 0 ? "[" + linesLeftOut + " lines left out]\n" : "")
                        + String.join("\n", tail) + (tail.isEmpty() ? "" : "\n");
            }
        }

        /** Whether the process still runs, or how it exited. */
        String state() {
            return process.isAlive() ? "still runs" : "exited with " + process.exitValue();
        }

        private void keep(String line) {
            synchronized (output) {
                if (output.length() < HEAD_CHARS && tail.isEmpty()) {
                    output.append(line).append('\n');
                    return;
                }
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                    linesLeftOut++;
                }
            }
        }

        /**
         * Waits until more than {@code count} frames were decoded; on time out the failure carries what the player
         * printed, which is the only way to tell a refused login from a stalled stream afterwards.
         */
        void awaitFrames(String alias, int count, Duration timeout) {
            awaitFrames(alias, count, timeout, this);
        }

        /** As {@link #awaitFrames(String, int, Duration)}, for several players that must all get there. */
        static void awaitFrames(String alias, int count, Duration timeout, Player... players) {
            try {
                await(alias).atMost(timeout).until(() -> Arrays.stream(players).allMatch(p -> p.frames.get() > count));
            } catch (ConditionTimeoutException e) {
                StringBuilder report = new StringBuilder(alias + " (more than " + count + " frames each, "
                        + timeout.toSeconds() + " s):");
                for (Player player : players) {
                    report.append("\n--- a player with ").append(player.frames.get()).append(" frame(s) ")
                            .append(player.state()).append(", printed:\n").append(tail(player.output()));
                }
                throw new AssertionError(report.toString(), e);
            }
        }

        /** Milliseconds from start to the first decoded frame, or -1. */
        long firstFrameMillis() {
            long first = firstFrameNanos.get();
            return first == 0 ? -1 : (first - startNanos) / 1_000_000;
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy(); // SIGTERM: gst-launch tears down (TEARDOWN) like a user quitting
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static Thread drain(InputStream stream, StringBuilder sink) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int read;
                while ((read = stream.read(buffer)) > 0) {
                    synchronized (sink) {
                        if (sink.length() < 2_000_000) {
                            sink.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException e) {
                // process gone
            }
        }, "client-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
