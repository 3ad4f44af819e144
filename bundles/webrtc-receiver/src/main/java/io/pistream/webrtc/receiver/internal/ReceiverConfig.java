package io.pistream.webrtc.receiver.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The WebRTC receiver, {@code etc/io.pistream.webrtc.receiver.cfg}. */
// id and name as before the split, so that existing configurations and tools still find them
@ObjectClassDefinition(id = "io.pistream.webrtc.internal.ReceiverConfig", name = "pistream WebRTC receiver",
        description = "Consumes streams that browsers register (gstwebrtc-api producers): plays their audio and "
                + "discards, records or composites their video")
@interface ReceiverConfig {

    @AttributeDefinition(description = "Signalling server, ws:// or wss://")
    String signalling_url() default "wss://127.0.0.1:8443/signalling";

    @AttributeDefinition(description = "PEM file of the CA certificate(s) trusted for wss:// (empty: the JDK's "
            + "trust store)")
    String trust_ca() default "${karaf.etc}/pki/ca.crt";

    @AttributeDefinition(type = AttributeType.PASSWORD, required = false, description = "Bearer token for a "
            + "signalling server other than this device's (empty: none); this device's own server gets the device's "
            + "token, never this one")
    String signalling_token() default "";

    @AttributeDefinition(description = "Name this receiver registers with (meta.name)")
    String name() default "pistream receiver";

    @AttributeDefinition(description = "Producers to consume on their own: field=pattern on their meta, e.g. "
            + "name=WebClient-* or target=kitchen ('*' matches anything); empty: only by pistream:receive. Only "
            + "producers whose meta carries pistream-user (a talk user the signalling server authenticated) are "
            + "received, on their own or not")
    String match() default "";

    @AttributeDefinition(description = "What to do with received video: discard, record or composite")
    String mode() default "discard";

    @AttributeDefinition(description = "Directory of recordings (mode=record)")
    String record_directory() default "${karaf.data}/recordings";

    @AttributeDefinition(description = "Container of recordings: mkv (VP8 or H.264) or mp4 (H.264 only)")
    String record_format() default "mkv";

    @AttributeDefinition(description = "Length of a recording file in seconds; 0: one file per session",
            min = "0", max = "86400")
    int record_segment_seconds() default 600;

    @AttributeDefinition(description = "Audio output: autoaudiosink, alsasink, pulsesink or fakesink")
    String audio_sink() default "autoaudiosink";

    @AttributeDefinition(description = "Device of alsasink (e.g. hw:0) or pulsesink (a sink name); empty: default")
    String audio_device() default "";

    @AttributeDefinition(description = "Source to draw the received video over (mode=composite)")
    String composite_source() default "camera";

    @AttributeDefinition(description = "Largest number of producers received at once", min = "1", max = "8")
    int max_sessions() default 2;

    @AttributeDefinition(description = "STUN server, stun://host:port (empty: none)")
    String stun_server() default "";

    @AttributeDefinition(description = "TURN servers, comma-separated turn(s)://user:password@host:port")
    String turn_server() default "";

    @AttributeDefinition(description = "Addresses to gather ICE candidates on, comma-separated (empty: all "
            + "interfaces but loopback)")
    String local_ips() default "";

    @AttributeDefinition(description = "Seconds a producer has to offer and connect", min = "5", max = "300")
    int connect_timeout_seconds() default 30;
}
