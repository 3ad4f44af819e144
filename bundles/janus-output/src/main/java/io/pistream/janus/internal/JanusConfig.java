package io.pistream.janus.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** A Janus streaming mountpoint fed by the device, one per file {@code etc/io.pistream.janus-<name>.cfg}. */
@ObjectClassDefinition(name = "pistream Janus output",
        description = "Creates a streaming mountpoint on a Janus server and sends it one RTP stream; Janus serves the viewers")
@interface JanusConfig {

    @AttributeDefinition(description = "Janus HTTP API, e.g. http://janus.example:8088/janus")
    String url() default "";

    @AttributeDefinition(description = "Mountpoint id on the Janus server (a positive integer)")
    long id() default 0;

    @AttributeDefinition(description = "Mountpoint description shown to Janus clients (empty: pistream NAME)")
    String description() default "";

    @AttributeDefinition(description = "Id of the video source, sent as H.264")
    String video() default "camera";

    @AttributeDefinition(description = "Id of an audio source sent as Opus (empty: no audio)")
    String audio() default "";

    @AttributeDefinition(description = "The streaming plugin's admin_key, if Janus requires one to create mountpoints",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String admin_key() default "";

    @AttributeDefinition(description = "Secret of the mountpoint (needed to change or destroy it)",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String secret() default "";

    @AttributeDefinition(description = "PIN viewers must give to watch (empty: none)",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String pin() default "";

    @AttributeDefinition(description = "Janus's API secret (its 'api_secret'), if it has one",
            type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String api_secret() default "";

    @AttributeDefinition(description = "Where to send RTP (empty: the host of url)")
    String rtp_host() default "";

    @AttributeDefinition(description = "Seconds between keepalives of the Janus session (Janus drops it after 60 s)",
            min = "1", max = "55")
    int keepalive() default 25;

    @AttributeDefinition(description = "Seconds to wait for an answer from Janus", min = "1", max = "60")
    int timeout() default 10;

    @AttributeDefinition(description = "Largest RTP packet in bytes", min = "200", max = "9000")
    int mtu() default 1200;

    @AttributeDefinition(description = "RTP payload type of video", min = "96", max = "127")
    int payload() default 96;

    @AttributeDefinition(description = "fmtp Janus puts in its SDP for the H.264 stream; match the encoder's profile")
    String video_fmtp() default "profile-level-id=42e01f;packetization-mode=1";

    @AttributeDefinition(description = "RTP payload type of audio", min = "96", max = "127")
    int audio_payload() default 111;
}
