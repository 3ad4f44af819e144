package io.pistream.gstreamer.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.pistream.api.Codecs;
import io.pistream.api.MediaException;
import io.pistream.api.StreamStatus;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.testing.CountingSink;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;

import org.freedesktop.gstreamer.Element;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A source that fails every time, whichever way it fails: the hub retries it less and less often and says so once.
 */
class MediaHubBackoffTest {

    private static final long MIN_MILLIS = 40;
    private static final long MAX_MILLIS = 640;

    private MediaHubCore hub;
    private PrintStream originalErr;

    @BeforeAll
    static void initGStreamer() {
        GstInit.ensure();
    }

    @AfterEach
    void tearDown() {
        if (hub != null) {
            hub.close();
        }
        if (originalErr != null) {
            System.setErr(originalErr);
        }
    }

    /** The ways a capture fails. */
    enum Failure {
        /** Its element cannot be created: the configuration names a plugin or device that is not there. */
        CREATION("pistream-no-such-element"),
        /** It refuses to start: a file source whose file is missing. */
        REFUSAL("file: Resource not found"),
        /** It starts, then posts an error: its buffers have no format, which the encoder cannot take. */
        RUNTIME("pattern");

        /** What the reason of each failure names. */
        final String named;

        Failure(String named) {
            this.named = named;
        }
    }

    @ParameterizedTest
    @EnumSource(Failure.class)
    void aFailingSourceBacksOffToTheCeilingAndLogsItsStreakOnce(Failure failure) throws Exception {
        FailingSource source = new FailingSource("gone", failure);
        ByteArrayOutputStream log = captureStandardError();
        hub = new MediaHubCore(new HubSettings(300, MIN_MILLIS, MAX_MILLIS));
        hub.addEncoder(TestEncoders.h264(30), 0);
        hub.addSource(source);

        // 40 + 80 + 160 + 320 ms, then 640 ms apart: the 15th attempt comes 7 s after the first, past one summary
        // period (10 x max, 6.4 s), and the next summary is due 6.4 s later still
        try (Subscription ignored = hub.subscribe("gone", Codecs.H264, new CountingSink())) {
            await("16 attempts").atMost(Duration.ofSeconds(30)).until(() -> source.attempts.size() >= 16);
            StreamStatus status = hub.streams().get(0);
            assertTrue(status.restarts() >= 15, "each attempt is counted: " + status.restarts());
            assertTrue(status.lastError().contains(failure.named), status.lastError());
        }

        List<Long> delays = new ArrayList<>();
        for (int i = 1; i < source.attempts.size(); i++) {
            delays.add((source.attempts.get(i) - source.attempts.get(i - 1)) / 1_000_000);
        }
        System.out.println(failure + ": ms between attempts " + delays);
        long expected = MIN_MILLIS;
        for (int i = 0; i < 15; i++) {
            long delay = delays.get(i);
            // a scheduled task never runs early; it may run late on a busy machine, and building takes time
            assertTrue(delay >= expected - 5 && delay < expected + 1500,
                    "attempt " + (i + 2) + " came " + delay + " ms after the previous one, expected " + expected
                            + " ms; all delays: " + delays);
            expected = Math.min(MAX_MILLIS, expected * 2);
        }

        List<String> lines = new ArrayList<>();
        for (String line : log.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("SourceStream - gone:")) {
                lines.add(line);
            }
        }
        List<String> errors = lines.stream().filter(line -> line.contains(" ERROR ")).toList();
        assertEquals(1, errors.size(), "the first failure is an error, its repeats are not: " + lines);
        assertTrue(errors.get(0).contains(failure.named), "the error says why: " + lines);
        List<String> summaries = lines.stream().filter(line -> line.contains(" WARN ")).toList();
        assertEquals(1, summaries.size(), "one summary in one summary period: " + lines);
        assertTrue(summaries.get(0).matches(".*failed \\d+ times since .*, next try in 0\\.6 s.*"), summaries.get(0));
        // besides: the first start (when it got that far) and the stop
        assertTrue(lines.size() <= 4, "few lines for " + delays.size() + " attempts: " + lines);
    }

    /** Copies standard error (where the tests' slf4j binding writes) into a buffer as well. */
    private ByteArrayOutputStream captureStandardError() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        originalErr = System.err;
        PrintStream original = originalErr;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public synchronized void write(int b) {
                original.write(b);
                copy.write(b);
            }

            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                copy.write(bytes, offset, length);
            }
        }, true, StandardCharsets.UTF_8));
        return copy;
    }

    /** A source configured so that its capture always fails, the given way. */
    private static final class FailingSource extends TestPatternSource {
        final List<Long> attempts = new CopyOnWriteArrayList<>();
        private final Failure failure;

        FailingSource(String id, Failure failure) {
            super(id, 320, 240, 30);
            this.failure = failure;
        }

        @Override
        public String name() {
            return "a source that fails: " + failure;
        }

        @Override
        public Element createElement() throws MediaException {
            attempts.add(System.nanoTime());
            switch (failure) {
                case CREATION:
                    return Elements.make("pistream-no-such-element", "capture");
                case REFUSAL:
                    Element file = Elements.make("filesrc", "file");
                    file.set("location", "/nonexistent/pistream-missing-file.mp4");
                    return file;
                default:
                    // it links to anything: the mismatch shows once its first buffer reaches the encoder
                    Element noise = Elements.make("fakesrc", "pattern");
                    noise.set("is-live", true);
                    return noise;
            }
        }
    }
}
