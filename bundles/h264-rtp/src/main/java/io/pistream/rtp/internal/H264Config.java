package io.pistream.rtp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "pistream H.264 encoder",
        description = "Encodes video once per source for every output (RTP, RTSP, WebRTC)")
@interface H264Config {

    @AttributeDefinition(description = "auto (v4l2h264enc on Raspberry Pi hardware, else x264enc, else openh264enc), "
            + "or one of them by name")
    String encoder() default "auto";

    @AttributeDefinition(description = "Bit rate in kbit/s", min = "100", max = "50000")
    int bitrate() default 2000;

    @AttributeDefinition(description = "Frames between key frames; with 30 fps, 30 lets a late viewer start within "
            + "a second", min = "1", max = "600")
    int keyframe_interval() default 30;

    @AttributeDefinition(description = "constrained-baseline (plays in every browser), baseline, main or high")
    String profile() default "constrained-baseline";
}
