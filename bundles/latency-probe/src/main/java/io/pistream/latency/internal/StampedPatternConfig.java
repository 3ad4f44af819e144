package io.pistream.latency.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The stamped test pattern, configured by {@code etc/io.pistream.latency.cfg} (all keys optional). */
@ObjectClassDefinition(name = "pistream latency probe",
        description = "A test pattern stamped with its capture time, to measure glass-to-glass latency")
@interface StampedPatternConfig {

    @AttributeDefinition(description = "Identifier used by outputs (RTSP mounts, RTP, WebRTC)")
    String id() default "stamp";

    @AttributeDefinition(description = "Test pattern under the stamp (videotestsrc pattern), e.g. ball, smpte")
    String pattern() default "ball";

    @AttributeDefinition(description = "Width in pixels, a multiple of 80", min = "80", max = "3840")
    int width() default 1280;

    @AttributeDefinition(description = "Height in pixels, even", min = "48", max = "2160")
    int height() default 720;

    @AttributeDefinition(min = "1", max = "60")
    int framerate() default 30;
}
