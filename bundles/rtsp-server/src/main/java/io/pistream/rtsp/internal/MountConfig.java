package io.pistream.rtsp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One RTSP mount, factory PID {@code io.pistream.rtsp.mount} ({@code etc/io.pistream.rtsp.mount-<name>.cfg}).
 * A mount is either fed from the media hub ({@code video}, optional {@code audio}) or, for administrators only,
 * defined by a GStreamer launch line ({@code launch}).
 */
@ObjectClassDefinition(name = "pistream RTSP mount",
        description = "A path served by the RTSP server, fed from the media hub or by an admin-defined pipeline")
public @interface MountConfig {

    @AttributeDefinition(description = "Path clients ask for, for example /camera "
            + "(letters, digits and . _ ~ - in /-separated segments)")
    String path();

    @AttributeDefinition(required = false, description = "Id of the video source to serve as H.264")
    String video() default "";

    @AttributeDefinition(required = false, description = "Id of the audio source to serve (optional)")
    String audio() default "";

    @AttributeDefinition(required = false, description = "Codec of the audio stream: opus or aac")
    String audio_codec() default "opus";

    @AttributeDefinition(required = false, description = "Admin only: a GStreamer launch line in parentheses "
            + "with payloaders named pay0, pay1, ... used instead of video/audio. It is trusted configuration: "
            + "it runs with the rights of the platform.")
    String launch() default "";

    @AttributeDefinition(required = false, description = "Whether all clients share one media pipeline. By "
            + "default each client gets its own small pipeline (a hub mount's clients still share one capture and "
            + "one encoder; a launch mount runs its launch line once per client, as test-launch does). Shared "
            + "saves a little CPU per client, but gst-rtsp-server 1.22 may answer 503 to a client that arrives "
            + "just as the last one leaves.")
    boolean shared() default false;
}
