package io.pistream.rtp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** An RTP/UDP push target, one per file {@code etc/io.pistream.rtp-<name>.cfg}. */
@ObjectClassDefinition(name = "pistream RTP push",
        description = "Sends a source as RTP over UDP, like rtph264pay ! udpsink")
@interface RtpConfig {

    @AttributeDefinition(description = "Receiver's IP address or host name")
    String host() default "";

    @AttributeDefinition(description = "Receiver's UDP port for video", min = "1", max = "65535")
    int port() default 5555;

    @AttributeDefinition(description = "Id of the video source to send")
    String video() default "camera";

    @AttributeDefinition(description = "Id of an audio source to send as Opus (empty: no audio)")
    String audio() default "";

    @AttributeDefinition(description = "Receiver's UDP port for audio (0: video port + 2)", min = "0", max = "65535")
    int audio_port() default 0;

    @AttributeDefinition(description = "Largest RTP packet in bytes", min = "200", max = "9000")
    int mtu() default 1400;

    @AttributeDefinition(description = "RTP payload type of video", min = "96", max = "127")
    int payload() default 96;

    @AttributeDefinition(description = "RTP payload type of audio", min = "96", max = "127")
    int audio_payload() default 97;
}
