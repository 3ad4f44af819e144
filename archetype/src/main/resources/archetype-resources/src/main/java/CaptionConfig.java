package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of one source, from a file {@code etc/${configPid}-NAME.cfg}: each key is a method, with its
 * type and default. Karaf converts the file's text to these types; {@link CaptionSource} checks the values.
 */
@ObjectClassDefinition(name = "${artifactId}", description = "A test pattern with a caption")
public @interface CaptionConfig {

    @AttributeDefinition(description = "Identifier used by outputs (RTSP mounts, RTP pushes, WebRTC, recorder); "
            + "defaults to the configuration's NAME, e.g. 'lobby' for ${configPid}-lobby.cfg")
    String id() default "";

    @AttributeDefinition(description = "Name shown to users (default: the id)")
    String name() default "";

    @AttributeDefinition(description = "videotestsrc pattern: smpte, ball, snow, checkers-8, ...")
    String pattern() default "smpte";

    @AttributeDefinition(description = "Text written over the picture")
    String text() default "pistream";

    @AttributeDefinition(min = "16", max = "4096")
    int width() default 640;

    @AttributeDefinition(min = "16", max = "4096")
    int height() default 360;

    @AttributeDefinition(min = "1", max = "60")
    int framerate() default 30;
}
