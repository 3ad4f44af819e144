package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import javax.inject.Inject;

import io.pistream.api.MediaHub;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Features installed and uninstalled in any order leave a working system; every shell command answers. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FeatureCyclesIT extends PistreamTestSupport {

    private static final List<String> FEATURES = List.of("camera", "audio", "rtp", "rtsp", "recorder",
            "signalling", "webrtc", "pistream-console");
    private static final EnumSet<FeaturesService.Option> OPTIONS = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

    private final FeaturesService features = liveFeatures();

    @Inject
    private BundleContext bundleContext;

    @Inject
    @Filter(timeout = 60_000)
    private SessionFactory sessions;

    @Configuration
    public Option[] config() {
        return distribution(
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port.secure", freePort()),
                editConfigurationFilePut("etc/io.pistream.rtsp.cfg", "port", freePort()));
    }

    @Test
    public void installAndUninstallInAnyOrderLeavesAWorkingSystem() throws Exception {
        Random random = new Random(7);
        for (int round = 0; round < 2; round++) {
            List<String> order = new ArrayList<>(FEATURES);
            Collections.shuffle(order, random);
            for (String feature : order) {
                features.installFeature(feature, OPTIONS);
                assertCoreWorks("after installing " + feature);
            }
            Collections.shuffle(order, random);
            for (String feature : order) {
                features.uninstallFeature(feature, OPTIONS);
                assertCoreWorks("after uninstalling " + feature);
            }
        }
        features.installFeature("signalling", OPTIONS);
        features.installFeature("camera", OPTIONS);
        features.uninstallFeature("signalling", OPTIONS);
        assertEquals("uninstalling signalling removes its bundle", null, bundle("io.pistream.signalling"));
        assertEquals("and nothing else", Bundle.ACTIVE, bundle("io.pistream.camera").getState());

        features.installFeature("webrtc-receiver", OPTIONS);
        awaitTrue(() -> bundle("io.pistream.webrtc.receiver") != null
                && bundle("io.pistream.webrtc.receiver").getState() == Bundle.ACTIVE, 20_000, "the receiver runs");
        assertEquals("a receiver-only install has no producer", null, bundle("io.pistream.webrtc"));
        features.uninstallFeature("webrtc-receiver", OPTIONS);
        assertCoreWorks("after uninstalling webrtc-receiver");
    }

    @Test
    public void everyShellCommandAnswers() throws Exception {
        features.installFeature("pistream", OPTIONS);
        awaitTrue(() -> output("pistream:sources").contains("camera"), 30_000, "sources are listed");
        String devices = output("pistream:devices");
        assertTrue(devices, devices.contains("No camera or microphone found") || devices.contains("Element"));
        String recording = output("pistream:record -a microphone start camera");
        assertTrue(recording, recording.contains("Recording r1"));
        awaitTrue(() -> output("pistream:streams").contains("PLAYING"), 30_000, "the recording runs a capture");
        String list = output("pistream:record list");
        assertTrue(list, list.contains("RECORDING"));
        String graph = output("pistream:graph camera");
        assertTrue(graph, graph.contains("Wrote") && graph.contains("camera.dot"));
        String restart = output("pistream:restart camera");
        assertTrue(restart, restart.contains("Restarted camera"));
        String stopped = output("pistream:record stop r1");
        assertTrue(stopped, stopped.contains("Stopped r1"));
        String peers = output("pistream:peers");
        assertTrue(peers, peers.contains("Peer"));
        String webrtc = output("pistream:sessions");
        assertTrue(webrtc, webrtc.toLowerCase().contains("session"));
        String rtsp = output("pistream:rtsp");
        assertTrue(rtsp, rtsp.contains("/camera"));
        String say = output("pistream:say hello");
        assertTrue(say, say.contains("No text-to-speech source is configured"));
    }

    private String output(String command) {
        try {
            return execute(sessions, command);
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    private void assertCoreWorks(String when) throws Exception {
        for (String name : new String[] {"io.pistream.api", "io.pistream.gstreamer"}) {
            Bundle bundle = bundle(name);
            assertNotNull(name + " " + when, bundle);
            assertEquals(name + " active " + when, Bundle.ACTIVE, bundle.getState());
        }
        awaitTrue(() -> bundleContext.getServiceReference(MediaHub.class) != null, 10_000, "the hub is up " + when);
        awaitTrue(() -> Arrays.stream(bundleContext.getBundles()).filter(b -> b.getSymbolicName() != null
                && b.getSymbolicName().startsWith("io.pistream")).allMatch(b -> b.getState() == Bundle.ACTIVE
                        || b.getState() == Bundle.RESOLVED && b.getHeaders().get("Fragment-Host") != null),
                20_000, "every installed pistream bundle is active " + when);
    }

    private Bundle bundle(String symbolicName) {
        return Arrays.stream(bundleContext.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElse(null);
    }
}
