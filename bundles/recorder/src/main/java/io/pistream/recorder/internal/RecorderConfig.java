package io.pistream.recorder.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "pistream recorder", description = "Where and how recordings are written")
@interface RecorderConfig {

    @AttributeDefinition(description = "Directory of the recordings (default: data/recordings)")
    String directory() default "";

    @AttributeDefinition(description = "mkv (keeps what was written if the device loses power) or mp4")
    String container() default "mkv";
}
