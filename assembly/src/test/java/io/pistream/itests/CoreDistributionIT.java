package io.pistream.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.stream.Collectors;

import javax.inject.Inject;

import io.pistream.api.MediaHub;
import io.pistream.gstreamer.GStreamerRuntime;

import org.apache.karaf.features.FeaturesService;
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

/** The assembled distribution boots with pistream-core and GStreamer initialised. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreDistributionIT extends PistreamTestSupport {

    @Inject
    private BundleContext bundleContext;

    private final FeaturesService features = liveFeatures();

    @Inject
    @Filter(timeout = 60_000)
    private GStreamerRuntime runtime;

    @Inject
    @Filter(timeout = 60_000)
    private MediaHub hub;

    @Configuration
    public Option[] config() {
        return distribution();
    }

    @Test
    public void gstreamer122IsInitialised() {
        assertTrue("GStreamer 1.22 expected, found " + runtime.version(), runtime.version().startsWith("1.22."));
        assertTrue("the test pattern element is available", runtime.hasElement("videotestsrc"));
        assertTrue("x264enc is installed", runtime.hasElement("x264enc"));
    }

    @Test
    public void coreFeatureAndBundlesAreActive() throws Exception {
        assertTrue(features.isInstalled(features.getFeature("pistream-core")));
        for (String name : new String[] {"io.pistream.api", "io.pistream.gstreamer",
                "org.freedesktop.gstreamer.gst1-java-core", "com.sun.jna"}) {
            Bundle bundle = Arrays.stream(bundleContext.getBundles())
                    .filter(candidate -> name.equals(candidate.getSymbolicName()))
                    .findFirst().orElse(null);
            assertNotNull(name + " is installed; bundles: " + Arrays.stream(bundleContext.getBundles())
                    .map(Bundle::getSymbolicName).collect(Collectors.joining(", ")), bundle);
            assertEquals(name + " is active", Bundle.ACTIVE, bundle.getState());
        }
    }

    @Test
    public void noBundleIsMadeOnTheDevice() {
        // a wrap: URL runs bnd over a whole jar at the first start, while the other bundles wait for it
        String wrapped = Arrays.stream(bundleContext.getBundles()).map(Bundle::getLocation)
                .filter(location -> location.startsWith("wrap:")).collect(Collectors.joining(", "));
        assertEquals("bundles made from plain jars at the first start", "", wrapped);
    }

    @Test
    public void mediaHubIsReadyAndIdle() {
        assertTrue("nothing runs before a viewer comes", hub.streams().isEmpty());
    }
}
