package io.pistream.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Which sections of the page are enabled for the packages the bundle is wired to. */
class OptionalSectionsTest {

    @Test
    void onlyTheSectionsOfWiredPackagesAreEnabled() {
        assertEquals(List.of(), OptionalSections.enabled(Set.of("io.pistream.api", "io.pistream.gstreamer")));
        assertEquals(List.of(RtspSection.class.getName()),
                OptionalSections.enabled(Set.of("io.pistream.api", "io.pistream.rtsp")));
        assertEquals(List.of(WebRtcSection.class.getName(), RtspSection.class.getName(),
                RecorderSection.class.getName()),
                OptionalSections.enabled(Set.of("io.pistream.recorder", "io.pistream.rtsp", "io.pistream.webrtc")));
        assertEquals(List.of(JanusSection.class.getName()),
                OptionalSections.enabled(Set.of("io.pistream.api", "io.pistream.janus")));
    }
}
