package io.pistream.signalling.internal.jetty;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.pistream.signalling.internal.router.SignallingLimits;

/**
 * Configuration of the signalling server, PID {@code io.pistream.signalling}. Property names use dots:
 * {@code allowed_origins} is {@code allowed.origins}.
 *
 * <p>TLS is not configured here: the server runs on Pax Web's connectors, so {@code wss://host:8443}
 * comes from the HTTPS connector of {@code etc/org.ops4j.pax.web.cfg}, and {@code ws://} from the plain
 * one when TLS is switched off there. Nor is authentication: the HTTP door in front of every servlet authenticates
 * the handshake (users and tokens of the security bundle), and this server refuses an upgrade it did not.
 */
@ObjectClassDefinition(
        name = "pistream signalling",
        description = "WebRTC signalling server speaking the gst-webrtc-signalling-server protocol over WebSocket")
public @interface SignallingConfig {

    @AttributeDefinition(
            name = "Paths",
            description = "Paths that accept WebSocket upgrades. \"/\" accepts an upgrade on the root only (what"
                    + " webrtcsrc and gstwebrtc-api use by default) and leaves plain requests to whatever serves"
                    + " \"/\"; any other path also accepts its sub-paths. Comma-separated values are split.")
    String[] paths() default { "/", "/signalling" };

    @AttributeDefinition(
            name = "Allowed origins",
            required = false,
            description = "Origins (scheme://host[:port]) a browser may connect to signalling from, on top of the"
                    + " HTTP door's own Origin check (the device's names); empty adds no check of its own. A request"
                    + " without an Origin header (not a browser) is always allowed; \"*\" allows any.")
    String[] allowed_origins() default {};

    @AttributeDefinition(
            name = "Maximum message size",
            min = "1024",
            description = "Largest text message in bytes; a client that sends a larger one is disconnected.")
    int max_message_size() default SignallingLimits.DEFAULT_MAX_MESSAGE_SIZE;

    @AttributeDefinition(
            name = "Send queue bytes",
            min = "1024",
            description = "Bytes that may wait to be written to one client; a client that lets more pile up (it"
                    + " does not read) is disconnected. At least the maximum message size.")
    int send_queue_bytes() default SignallingLimits.DEFAULT_SEND_QUEUE_BYTES;

    @AttributeDefinition(
            name = "Maximum peers",
            min = "1",
            description = "Clients connected at once; more are refused at the handshake (503). The device's own"
                    + " producer and receiver do not count.")
    int max_peers() default SignallingLimits.DEFAULT_MAX_PEERS;

    @AttributeDefinition(
            name = "Maximum sessions per peer",
            min = "1",
            description = "Open sessions one client may have started (startSession); more are refused with an"
                    + " error.")
    int max_sessions_per_peer() default SignallingLimits.DEFAULT_MAX_SESSIONS_PER_PEER;

    @AttributeDefinition(
            name = "Maximum meta bytes",
            min = "64",
            description = "Largest meta of a setPeerStatus, as compact JSON; a larger one is refused with an error.")
    int max_meta_bytes() default SignallingLimits.DEFAULT_MAX_META_BYTES;

    @AttributeDefinition(
            name = "Messages per second",
            min = "1",
            description = "Messages one client may send per second on average; more are dropped and the client is"
                    + " told, and one that sends ten times as many is disconnected. The device's own peers are"
                    + " exempt.")
    int messages_per_second() default SignallingLimits.DEFAULT_MESSAGES_PER_SECOND;

    @AttributeDefinition(
            name = "Message burst",
            min = "1",
            description = "Messages one client may send at once before the rate applies.")
    int messages_burst() default SignallingLimits.DEFAULT_MESSAGE_BURST;

    @AttributeDefinition(
            name = "Keep-alive",
            min = "0",
            description = "Seconds without anything sent to a client before it gets a WebSocket ping; 0 disables.")
    int keepalive_seconds() default SignallingSettings.DEFAULT_KEEPALIVE_SECONDS;

    @AttributeDefinition(
            name = "Redirect for a plain GET on /",
            required = false,
            description = "If set, a non-WebSocket GET or HEAD on \"/\" is redirected there; if empty it goes on to"
                    + " whatever serves \"/\" (the web app), or gets 404.")
    String root_redirect() default "";

    @AttributeDefinition(
            name = "Whiteboard context",
            description = "osgi.http.whiteboard.context.select of the servlet and the filter.")
    String http_context_select() default SignallingSettings.DEFAULT_CONTEXT_SELECT;
}
