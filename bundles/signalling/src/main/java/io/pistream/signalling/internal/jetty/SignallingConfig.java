package io.pistream.signalling.internal.jetty;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the signalling server, PID {@code io.pistream.signalling}. Property names use dots:
 * {@code allowed_origins} is {@code allowed.origins}.
 *
 * <p>TLS is not configured here: the server runs on Pax Web's connectors, so {@code wss://host:8443}
 * comes from the HTTPS connector of {@code etc/org.ops4j.pax.web.cfg}, and {@code ws://} from the plain
 * one when TLS is switched off there.
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
            description = "Origins (scheme://host[:port]) a browser may connect from; empty allows any. A request"
                    + " without an Origin header (not a browser) is always allowed; \"*\" allows any.")
    String[] allowed_origins() default {};

    @AttributeDefinition(
            name = "Token",
            type = AttributeType.PASSWORD,
            required = false,
            description = "When set, a client must present it as the query parameter token=... or as"
                    + " \"Authorization: Bearer ...\"; empty disables the check.")
    String token() default "";

    @AttributeDefinition(
            name = "Maximum message size",
            min = "1024",
            description = "Largest text message in bytes; a client that sends a larger one is disconnected.")
    int max_message_size() default SignallingSettings.DEFAULT_MAX_MESSAGE_SIZE;

    @AttributeDefinition(
            name = "Send queue size",
            min = "1",
            description = "Frames that may wait to be written to one client; a client that lets more pile up"
                    + " is disconnected.")
    int send_queue_size() default SignallingSettings.DEFAULT_SEND_QUEUE_SIZE;

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
