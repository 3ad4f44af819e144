package io.pistream.camera.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** A camera, one per file {@code etc/io.pistream.camera-<id>.cfg}. */
@ObjectClassDefinition(name = "pistream camera", description = "A video source: camera, test pattern, file or image")
@interface CameraConfig {

    @AttributeDefinition(description = "Identifier used by outputs (RTSP mounts, RTP, WebRTC); "
            + "defaults to the configuration's name, e.g. 'front' for io.pistream.camera-front.cfg")
    String id() default "";

    @AttributeDefinition(description = "Name shown to users")
    String name() default "";

    @AttributeDefinition(description = "auto (libcamera, else the first V4L2 camera, else the test pattern), "
            + "libcamera, v4l2, test, file, image")
    String type() default "auto";

    @AttributeDefinition(description = "libcamera camera id as listed by pistream:devices (empty: the first camera)")
    String camera$_$name() default "";

    @AttributeDefinition(description = "V4L2 device, e.g. /dev/video0")
    String device() default "/dev/video0";

    @AttributeDefinition(description = "Test pattern (videotestsrc pattern), e.g. smpte, ball, snow")
    String pattern() default "smpte";

    @AttributeDefinition(description = "Video or image file: an absolute path or a file:// URI")
    String uri() default "";

    @AttributeDefinition(description = "Play a video file again when it ends")
    boolean loop() default true;

    @AttributeDefinition(min = "16", max = "4096")
    int width() default 1280;

    @AttributeDefinition(min = "16", max = "4096")
    int height() default 720;

    @AttributeDefinition(min = "1", max = "120")
    int framerate() default 30;
}
