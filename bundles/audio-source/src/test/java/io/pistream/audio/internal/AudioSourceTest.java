package io.pistream.audio.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.pistream.api.Codecs;
import io.pistream.api.MediaException;
import io.pistream.gstreamer.DeviceScan;
import io.pistream.gstreamer.internal.GStreamerRuntimeComponent;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.Configs;
import io.pistream.gstreamer.testing.CountingSink;

import org.awaitility.core.ConditionTimeoutException;
import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.elements.AppSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every audio type captured through the media hub and encoded to Opus, and speech heard in the stream. */
class AudioSourceTest {

    @TempDir
    static Path media;
    static Path clip;

    private MediaHubCore hub;

    @BeforeAll
    static void makeMediaFiles() throws Exception {
        MediaHubCore.create(0).close(); // initialises GStreamer
        clip = media.resolve("clip.wav");
        Process process = new ProcessBuilder("gst-launch-1.0", "-q", "audiotestsrc", "num-buffers=20", "!",
                "audioconvert", "!", "wavenc", "!", "filesink", "location=" + clip).inheritIO().start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0);
    }

    @BeforeEach
    void newHub() {
        hub = MediaHubCore.create(200);
        hub.addEncoder(new OpusEncoder(new GStreamerRuntimeComponent(), Configs.of(OpusConfig.class, Map.of())), 0);
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }

    static AudioSettings settings(Map<String, Object> values) {
        Map<String, Object> properties = new HashMap<>(values);
        properties.putIfAbsent("service.pid", "io.pistream.audio~mic");
        return AudioSettings.from(Configs.of(AudioConfig.class, properties), properties);
    }

    private CountingSink stream(AudioSource source, long buffers) throws Exception {
        hub.addSource(source);
        CountingSink sink = new CountingSink();
        hub.subscribe(source.id(), Codecs.OPUS, sink);
        await(source.id() + " produces " + buffers + " Opus buffers").atMost(Duration.ofMillis(20_000))
                .until(() -> sink.buffers() >= buffers);
        return sink;
    }

    @Test
    void testToneIsEncodedToOpus() throws Exception {
        CountingSink sink = stream(new AudioSource(settings(Map.of("type", "test", "wave", "ticks"))), 50);
        assertTrue(sink.caps().startsWith("audio/x-opus"), sink.caps());
        assertEquals("mic", hub.sources().get(0).id(), "the id defaults to the configuration's name");
    }

    @Test
    void loopingFilePlaysAgain() throws Exception {
        // the clip lasts about 0.46 s (20 x 1024 samples at 44.1 kHz); 100 Opus frames of 20 ms need 2 s
        stream(new AudioSource(settings(Map.of("type", "file", "uri", clip.toString()))), 100);
        assertEquals(0, hub.streams().get(0).restarts());
    }

    @Test
    void autoFallsBackToTheTestToneWithoutMicrophone() throws Exception {
        assumeTrue(DeviceScan.find(DeviceScan.AUDIO_SOURCE).isEmpty(), "this machine has a microphone");
        stream(new AudioSource(settings(Map.of())), 20);
    }

    @Test
    void alsaAndPulseElementsAreBuiltFromTheirSettings() throws Exception {
        Bin alsa = AudioElements.device("a", settings(Map.of("type", "alsa", "device", "sysdefault:CARD=Device")),
                "alsasrc");
        assertEquals("sysdefault:CARD=Device", findByFactory(alsa, "alsasrc").get("device"));
        Bin pulse = AudioElements.device("p", settings(Map.of("type", "pulse", "device", "alsa_input.usb-mic")),
                "pulsesrc");
        assertEquals("alsa_input.usb-mic", findByFactory(pulse, "pulsesrc").get("device"));
    }

    @Test
    void realMicrophoneStreamsWhenPresent() throws Exception {
        assumeTrue(!DeviceScan.find(DeviceScan.AUDIO_SOURCE).isEmpty(), "no microphone on this machine");
        stream(new AudioSource(settings(Map.of("type", "auto"))), 50);
    }

    @Test
    void speechIsHeardInTheLiveStreamAfterSilence() throws Exception {
        AudioSource source = new AudioSource(settings(Map.of("type", "tts", "rate", 16000)));
        MediaException notRunning = assertThrows(MediaException.class, () -> source.speechSource().say("too early"));
        assertTrue(notRunning.getMessage().contains("is not running"), notRunning.getMessage());

        Pipeline pipeline = new Pipeline("listen");
        Element capture = source.createElement();
        AppSink sink = new AppSink("ear");
        sink.set("emit-signals", true);
        pipeline.addMany(capture, sink);
        capture.link(sink);
        List<Integer> peaks = new ArrayList<>();
        sink.connect((AppSink.NEW_SAMPLE) appSink -> {
            Sample sample = appSink.pullSample();
            ByteBuffer data = sample.getBuffer().map(false).order(ByteOrder.LITTLE_ENDIAN);
            int peak = 0;
            while (data.remaining() >= 2) {
                peak = Math.max(peak, Math.abs(data.getShort()));
            }
            sample.getBuffer().unmap();
            sample.dispose();
            synchronized (peaks) {
                peaks.add(peak);
            }
            return FlowReturn.OK;
        });
        // what the pipeline said, so that a stream that never flows fails with its reason
        List<String> busMessages = new CopyOnWriteArrayList<>();
        pipeline.getBus().connect((Bus.ERROR) (origin, code, message) -> busMessages.add(
                "error from " + origin.getName() + ": " + message));
        pipeline.getBus().connect((Bus.WARNING) (origin, code, message) -> busMessages.add(
                "warning from " + origin.getName() + ": " + message));
        try {
            StateChangeReturn started = pipeline.play();
            try {
                await("live silence flows").atMost(Duration.ofMillis(10_000)).until(() -> size(peaks) > 20);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("live silence did not flow: " + size(peaks) + " buffers in 10 s; play() "
                        + started + ", state " + pipeline.getState(0) + ", bus " + busMessages, e);
            }
            int before;
            synchronized (peaks) {
                assertTrue(peaks.stream().allMatch(peak -> peak == 0), "silence before speaking");
                before = peaks.size();
            }
            source.speechSource().say("hello from the raspberry pie");
            AtomicInteger loud = new AtomicInteger();
            await("speech is heard").atMost(Duration.ofMillis(10_000)).until(() -> {
                synchronized (peaks) {
                    loud.set((int) peaks.subList(before, peaks.size()).stream().filter(peak -> peak > 2000).count());
                }
                return loud.get() > 10;
            });
        } finally {
            pipeline.setState(State.NULL);
            pipeline.dispose();
        }
    }

    @Test
    void speechSourceRunsThroughTheHub() throws Exception {
        AudioSource source = new AudioSource(settings(Map.of("type", "tts", "text", "pistream is ready")));
        stream(source, 50);
        source.speechSource().say("second sentence");
    }

    @Test
    void badConfigurationsAreRefusedNamingKeyAndReason() {
        assertProblem(Map.of("type", "theremin"), "type: must be one of alsa, auto, file, pulse, test, tts");
        assertProblem(Map.of("type", "file", "uri", "/nope/gone.ogg"), "uri: file /nope/gone.ogg does not exist");
        assertProblem(Map.of("type", "test", "wave", "sine ! fakesink"), "wave: pipeline syntax");
        assertProblem(Map.of("device", "hw:0 name=evil"), "device: pipeline syntax");
        assertProblem(Map.of("text", "hi ) ( x"), "text: pipeline syntax");
        assertProblem(Map.of("channels", 6), "channels: must be between 1 and 2, was 6");
        assertNull(settings(Map.of("type", "alsa", "device", "sysdefault:CARD=Device")).problem());
    }

    private static void assertProblem(Map<String, Object> values, String expected) {
        String problem = settings(values).problem();
        assertNotNull(problem, "refused: " + values);
        assertTrue(problem.contains(expected), problem);
    }

    private static int size(List<Integer> list) {
        synchronized (list) {
            return list.size();
        }
    }

    private static Element findByFactory(Bin bin, String factory) {
        for (Element element : bin.getElementsRecursive()) {
            if (element.getFactory().getName().equals(factory)) {
                return element;
            }
        }
        return null;
    }
}
