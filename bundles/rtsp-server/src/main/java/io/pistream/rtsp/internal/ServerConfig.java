package io.pistream.rtsp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the RTSP server, PID {@code io.pistream.rtsp} ({@code etc/io.pistream.rtsp.cfg}). */
@ObjectClassDefinition(name = "pistream RTSP server",
        description = "The RTSP server that serves the mounts (io.pistream.rtsp.mount factory configurations)")
public @interface ServerConfig {

    @AttributeDefinition(description = "TCP port for RTSP requests (1-65535)")
    int port() default 8554;

    @AttributeDefinition(description = "TCP port for RTSPS: RTSP over TLS with the device's certificate (the one of "
            + "the HTTPS connector), serving the same mounts; 0: no RTSPS")
    int tls_port() default 8322;

    @AttributeDefinition(description = "Most players at once, RTSP and RTSPS together (1-1000); more are answered "
            + "503 Service Unavailable")
    int max_players() default 20;

    @AttributeDefinition(description = "Address to listen on: 0.0.0.0 for every IPv4 interface, 127.0.0.1 for "
            + "this machine only, :: for IPv6")
    String address() default "0.0.0.0";

    @AttributeDefinition(description = "Transports offered to clients, comma separated: udp, tcp (interleaved in "
            + "the RTSP connection), udp-mcast")
    String protocols() default "udp,tcp";

    @AttributeDefinition(description = "Latency of the server's RTP session (ms, 0-10000)")
    int latency_ms() default 200;

    @AttributeDefinition(description = "Seconds without RTCP or RTSP from a client after which its session ends "
            + "(10-3600); a player that vanished stops costing anything after this")
    int session_timeout_s() default 60;

    @AttributeDefinition(
            description = "IPv4 multicast range handed to udp-mcast clients, as first-last")
    String multicast_addresses() default "224.3.0.1-224.3.0.254";

    @AttributeDefinition(description = "UDP port range for multicast, as first-last")
    String multicast_ports() default "5000-5999";

    @AttributeDefinition(description = "TTL of multicast packets (1-255)")
    int multicast_ttl() default 16;
}
