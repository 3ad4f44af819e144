package io.pistream.audio.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "pistream Opus encoder", description = "Encodes audio sources for WebRTC and RTSP")
@interface OpusConfig {

    @AttributeDefinition(description = "Bit rate in bits per second", min = "6000", max = "510000")
    int bitrate() default 64000;
}
