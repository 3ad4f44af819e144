package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.GStreamerRuntime;

import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The source's element run in a real GStreamer pipeline, the way the hub runs it: what comes out of its src pad
 * must be {@link CaptionSource#rawCaps()}. Needs GStreamer 1.22 with the base plugins installed.
 */
class CaptionSourceTest {

    /** The distribution initialises GStreamer once per JVM; a test has to do it itself. */
    @BeforeAll
    static void initGStreamer() {
        GStreamerRuntime.initialise(); // as the platform does: once, 1.22 or newer
    }

    @Test
    void producesBuffersWithItsRawCaps() throws Exception {
        CaptionSource source = new CaptionSource(
                settings(Map.of("width", 320, "height", 240, "framerate", 15, "text", "hello")));
        assertNull(source.problem());

        Pipeline pipeline = new Pipeline("test");
        AppSink sink = new AppSink("sink");
        sink.set("emit-signals", true);
        sink.set("sync", false);
        CountDownLatch frames = new CountDownLatch(30);
        List<String> caps = new CopyOnWriteArrayList<>();
        List<String> errors = new CopyOnWriteArrayList<>();
        // Callbacks run on GStreamer's streaming threads: do little, never block. Keep a strong reference to each
        // one for as long as the pipeline runs (here: local variables used after the wait); a callback collected by
        // the garbage collector while native code still holds it crashes the JVM.
        AppSink.NEW_SAMPLE onSample = appSink -> {
            Sample sample = appSink.pullSample();
            try {
                if (caps.isEmpty()) {
                    caps.add(sample.getCaps().toString());
                }
                frames.countDown();
            } finally {
                sample.dispose(); // a sample not disposed leaks its buffer
            }
            return FlowReturn.OK;
        };
        Bus.ERROR onError = (object, code, message) -> errors.add(object.getName() + ": " + message);
        sink.connect(onSample);
        pipeline.getBus().connect(onError);
        try {
            Element element = source.createElement();
            pipeline.addMany(element, sink);
            assertTrue(element.link(sink), "the source's src pad links to a sink");
            pipeline.play();
            assertTrue(frames.await(30, TimeUnit.SECONDS),
                    "30 frames within 30 s (" + frames.getCount() + " missing); errors: " + errors);
        } finally {
            pipeline.setState(State.NULL); // always NULL before dropping a pipeline
            pipeline.getBus().disconnect(onError);
            sink.disconnect(onSample);
            pipeline.dispose();
        }
        assertEquals(List.of(), errors);
        assertTrue(Caps.fromString(caps.get(0)).isSubset(Caps.fromString(source.rawCaps())),
                "produced " + caps.get(0) + ", promised " + source.rawCaps());
        assertTrue(caps.get(0).contains("width=(int)320") && caps.get(0).contains("framerate=(fraction)15/1"),
                caps.get(0));
    }

    @Test
    void idDefaultsToTheNameOfTheConfigurationFile() {
        CaptionSource source = new CaptionSource(settings(Map.of("service.pid", CaptionSource.PID + "~lobby")));
        assertEquals("lobby", source.id());
        assertEquals("lobby", source.name());
    }

    @Test
    void refusedConfigurationNamesEveryBadKeyAndNeverRuns() {
        CaptionSource source = new CaptionSource(
                settings(Map.of("text", "hi ! fakesink", "pattern", "nonsense", "width", 5)));
        String problem = source.problem();
        assertNotNull(problem);
        assertTrue(problem.contains("text: pipeline syntax"), problem);
        assertTrue(problem.contains("pattern: must be one of"), problem);
        assertTrue(problem.contains("width: must be between 16 and 4096"), problem);
        MediaException refused = assertThrows(MediaException.class, source::createElement);
        assertEquals(problem, refused.getMessage());
    }

    /** Settings as Declarative Services makes them from a configuration file holding {@code values}. */
    static CaptionSource.Settings settings(Map<String, Object> values) {
        Map<String, Object> properties = new HashMap<>(values);
        properties.putIfAbsent("service.pid", CaptionSource.PID + "~test");
        CaptionConfig config = (CaptionConfig) Proxy.newProxyInstance(CaptionConfig.class.getClassLoader(),
                new Class<?>[] {CaptionConfig.class}, (proxy, method, args) -> {
                    Object value = properties.get(method.getName());
                    return value != null ? value : method.getDefaultValue();
                });
        return CaptionSource.Settings.from(config, properties);
    }
}
