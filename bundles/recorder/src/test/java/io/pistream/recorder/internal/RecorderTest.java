package io.pistream.recorder.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.Configs;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.gstreamer.testing.TestToneSource;
import io.pistream.recorder.Recording;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recordings checked with ffprobe: both streams there, and as long as the recording ran. */
class RecorderTest {

    @TempDir
    Path directory;

    private MediaHubCore hub;

    @BeforeEach
    void newHub() {
        hub = MediaHubCore.create(200);
        hub.addEncoder(TestEncoders.h264(30), 0);
        hub.addEncoder(TestEncoders.opus(), 0);
        hub.addSource(new TestPatternSource("camera", 320, 240, 30));
        hub.addSource(new TestToneSource("microphone"));
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }

    private RecorderComponent recorder(String container) {
        return new RecorderComponent(hub, Configs.of(RecorderConfig.class,
                Map.of("directory", directory.toString(), "container", container)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mkv", "mp4"})
    void recordingHasVideoAndAudioOfTheRightDuration(String container) throws Exception {
        RecorderComponent recorder = recorder(container);
        Recording started = recorder.start("camera", "microphone");
        assertEquals("RECORDING", started.state());
        long startedAt = System.nanoTime();
        Thread.sleep(4000);
        double untilStop = (System.nanoTime() - startedAt) / 1e9;
        Recording stopped = recorder.stop(started.id());
        double untilStopped = (System.nanoTime() - startedAt) / 1e9;
        assertEquals("STOPPED", stopped.state());
        assertTrue(stopped.file().toString().endsWith("." + container));

        JsonNode probe = ffprobe(stopped.file());
        List<String> codecs = probe.get("streams").findValuesAsText("codec_name");
        assertTrue(codecs.contains("h264") && codecs.contains("opus"), "streams: " + codecs);
        double duration = probe.get("format").get("duration").asDouble();
        // what was recorded from the first key frame on, however long a loaded machine took to start and stop
        assertTrue(duration > untilStop - 1.5 && duration < untilStopped + 1.5,
                "duration " + duration + " s for a recording stopped after " + untilStop + " s");
        awaitIdle();
    }

    @Test
    void unknownSourceIsAClearErrorAndLeavesNothingRunning() throws Exception {
        RecorderComponent recorder = recorder("mkv");
        MediaException error = assertThrows(MediaException.class, () -> recorder.start("nope", null));
        assertTrue(error.getMessage().contains("Unknown source 'nope'"), error.getMessage());
        assertThrows(MediaException.class, () -> recorder.start("camera name=x", null));
        assertThrows(MediaException.class, () -> recorder.stop("r99"));
        awaitIdle();
    }

    @Test
    void deletesOnlyStoppedRecordingsAndOnlyTheirOwnFile() throws Exception {
        RecorderComponent recorder = recorder("mkv");
        Recording started = recorder.start("camera", null);
        MediaException running = assertThrows(MediaException.class, () -> recorder.delete(started.id()));
        assertTrue(running.getMessage().contains("still recording"), running.getMessage());
        Thread.sleep(1500);
        Recording stopped = recorder.stop(started.id());
        assertTrue(Files.exists(stopped.file()));
        Path neighbour = Files.writeString(directory.resolve("other.mkv"), "not a recording of this recorder");

        recorder.delete(started.id());

        assertTrue(Files.notExists(stopped.file()), "the recording's file is gone");
        assertTrue(Files.exists(neighbour), "nothing else is touched");
        assertTrue(recorder.recordings().isEmpty(), "the recording is forgotten");
        assertThrows(MediaException.class, () -> recorder.delete(started.id()));
        assertThrows(MediaException.class, () -> recorder.delete("../other.mkv"));
        awaitIdle();
    }

    private void awaitIdle() {
        await("the capture stops once the recording ended").atMost(Duration.ofSeconds(20))
                .until(() -> hub.livePipelines() == 0);
    }

    static JsonNode ffprobe(Path file) throws Exception {
        assertTrue(Files.size(file) > 10_000, "file has content: " + Files.size(file));
        Process process = new ProcessBuilder("ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json",
                file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "ffprobe reads " + file);
        return new ObjectMapper().readTree(output);
    }
}
