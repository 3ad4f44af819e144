package io.pistream.vp8.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The VP8 encoder, {@code etc/io.pistream.vp8.cfg} (optional: the defaults suit a desktop-class CPU). */
// id and name as before the split, so that existing configurations and tools still find them
@ObjectClassDefinition(id = "io.pistream.webrtc.internal.Vp8Config", name = "pistream VP8 encoder",
        description = "libvpx VP8 in real time, shared by all WebRTC viewers that choose VP8")
@interface Vp8Config {

    @AttributeDefinition(description = "Target bitrate in kbit/s", min = "100", max = "20000")
    int bitrate() default 2000;

    @AttributeDefinition(description = "Largest distance between key frames, in frames", min = "1", max = "3000")
    int keyframe_interval() default 60;

    @AttributeDefinition(description = "libvpx speed: 0 (best quality) to 16 (fastest); a Raspberry Pi needs "
            + "a high value", min = "0", max = "16")
    int cpu_used() default 4;

    @AttributeDefinition(description = "Encoder threads", min = "1", max = "8")
    int threads() default 2;
}
