package io.pistream.webrtc.producer.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The WebRTC producer, {@code etc/io.pistream.webrtc.cfg}. */
// id and name as before the split, so that existing configurations and tools still find them
@ObjectClassDefinition(id = "io.pistream.webrtc.internal.ProducerConfig", name = "pistream WebRTC producer",
        description = "Offers the camera and microphone to WebRTC viewers (webrtcsrc, gstwebrtc-api, browsers)")
@interface ProducerConfig {

    @AttributeDefinition(description = "Signalling server, ws:// or wss://")
    String signalling_url() default "wss://127.0.0.1:8443/signalling";

    @AttributeDefinition(description = "PEM file of the CA certificate(s) trusted for wss:// (empty: the JDK's "
            + "trust store)")
    String trust_ca() default "${karaf.etc}/pki/ca.crt";

    @AttributeDefinition(type = AttributeType.PASSWORD, required = false, description = "Bearer token for a "
            + "signalling server other than this device's (empty: none); this device's own server gets the device's "
            + "token, never this one")
    String signalling_token() default "";

    @AttributeDefinition(description = "Name shown to viewers (meta.name)")
    String name() default "pistream";

    @AttributeDefinition(description = "Id of the video source (empty: no video)")
    String video() default "camera";

    @AttributeDefinition(description = "Id of the audio source, sent as Opus (empty: no audio)")
    String audio() default "microphone";

    @AttributeDefinition(description = "Video codecs offered, in order of preference: VP8, H264")
    String codecs() default "VP8,H264";

    @AttributeDefinition(description = "STUN server, stun://host:port (empty: none)")
    String stun_server() default "";

    @AttributeDefinition(description = "TURN servers, comma-separated turn(s)://user:password@host:port")
    String turn_server() default "";

    @AttributeDefinition(description = "Largest number of viewers at once", min = "1", max = "64")
    int max_sessions() default 10;

    @AttributeDefinition(description = "Addresses to gather ICE candidates on, comma-separated (empty: all "
            + "interfaces but loopback); 127.0.0.1 for viewers on this machine")
    String local_ips() default "";

    @AttributeDefinition(description = "Seconds a viewer has to answer and connect", min = "5", max = "300")
    int connect_timeout_seconds() default 30;

    @AttributeDefinition(description = "Forward error correction on video (ulpfec in red), in percent of the media "
            + "packets: repairs random loss without a round trip, at that much more bitrate; 0: off (lost packets are "
            + "still retransmitted on NACK)", min = "0", max = "100")
    int fec_percentage() default 0;

    @AttributeDefinition(description = "Repair lost video packets by retransmission when a viewer asks (NACK and "
            + "RTX); off only to compare")
    boolean nack() default true;

    @AttributeDefinition(description = "Move each viewer between the tiers of the video source's quality ladder "
            + "(video.tiers of the media hub) by what its link reports: down on loss or a growing round trip, back "
            + "up after a clean stretch; off: every viewer gets the top tier")
    boolean adaptation() default true;
}
