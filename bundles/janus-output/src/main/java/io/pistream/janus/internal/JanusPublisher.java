package io.pistream.janus.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pistream.api.MediaHub;
import io.pistream.janus.JanusMountpoint;
import io.pistream.rtp.push.RtpPush;
import io.pistream.rtp.push.RtpTarget;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one streaming mountpoint alive on a Janus server and feeds it: creates a session and the mountpoint, sends
 * RTP to the ports Janus gives with an {@link RtpPush}, asks after the mountpoint every keepalive period (which
 * also keeps the session alive), and starts over with a growing delay when Janus is unreachable, refuses, or has
 * forgotten the session or the mountpoint (a restart). Closing destroys the mountpoint. Everything runs on one
 * thread of its own, so a slow or absent Janus delays nothing else.
 */
final class JanusPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JanusPublisher.class);
    static final String PLUGIN = "janus.plugin.streaming";
    /** Streaming plugin: wrong admin_key or secret. */
    private static final int UNAUTHORIZED = 457;
    private static final long MIN_RETRY_MILLIS = 1000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    private final MediaHub hub;
    private final JanusSettings settings;
    private final JanusClient client;
    private final ScheduledExecutorService control;

    // owned by the control thread
    private long session;
    private long handle;
    private boolean createdByUs;
    private RtpPush push;
    private ScheduledFuture<?> next;
    private long retryMillis = MIN_RETRY_MILLIS;
    private boolean closed;

    // read by status
    private volatile String state = "CONNECTING";
    private volatile boolean reachable;
    private volatile int videoPort;
    private volatile int audioPort;
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile Instant publishedAt;

    JanusPublisher(MediaHub hub, JanusSettings settings) {
        this.hub = hub;
        this.settings = settings;
        this.client = new JanusClient(settings.url(), settings.apiSecret(),
                Duration.ofSeconds(settings.timeoutSeconds()));
        this.control = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pistream-janus-" + settings.name());
            thread.setDaemon(true);
            return thread;
        });
        control.execute(this::publish);
    }

    private void publish() {
        if (closed) {
            return;
        }
        state = "CONNECTING";
        try {
            if (session == 0) {
                session = client.createSession();
                handle = client.attach(session, PLUGIN);
            }
            JsonNode stream = createMountpoint();
            reachable = true;
            int video = port(stream, "video");
            int audio = settings.audio().isEmpty() ? 0 : port(stream, "audio");
            if (video <= 0 || (!settings.audio().isEmpty() && audio <= 0)) {
                throw new JanusException(0, "Janus created mountpoint " + settings.id()
                        + " but did not say which ports it listens on: " + stream, true);
            }
            stopPush();
            videoPort = video;
            audioPort = audio;
            push = new RtpPush(hub, new RtpTarget("janus-" + settings.name(), settings.rtpHost(), video,
                    settings.video(), settings.audio(), audio, settings.mtu(), settings.payload(),
                    settings.audioPayload()));
            state = "PUBLISHING";
            publishedAt = Instant.now();
            retryMillis = MIN_RETRY_MILLIS;
            LOG.info("Janus '{}': mountpoint {} created on {}; sending {} to {}:{}{}", settings.name(), settings.id(),
                    settings.urlText(), settings.video(), settings.rtpHost(), video,
                    settings.audio().isEmpty() ? "" : " and " + settings.audio() + " to port " + audio);
            schedule(this::check, settings.keepaliveSeconds() * 1000L);
        } catch (JanusException e) {
            failed(e);
        } catch (RuntimeException e) {
            failed(new JanusException(0, e.toString(), reachable));
        }
    }

    /** Creates the mountpoint; one that we created before (a lost session, a failed check) is replaced. */
    private JsonNode createMountpoint() throws JanusException {
        try {
            return create();
        } catch (JanusException e) {
            if (e.code() != JanusException.STREAM_EXISTS) {
                throw e;
            }
            if (!createdByUs) {
                throw new JanusException(e.code(), "mountpoint id " + settings.id() + " is taken on Janus by"
                        + " someone else: choose another id, or destroy that mountpoint (" + e.getMessage() + ")",
                        true);
            }
            destroyMountpoint();
            return create();
        }
    }

    private JsonNode create() throws JanusException {
        ObjectNode body = client.body("create");
        body.put("type", "rtp");
        body.put("id", settings.id());
        body.put("description", settings.description());
        body.put("permanent", false);
        putIfSet(body, "admin_key", settings.adminKey());
        putIfSet(body, "secret", settings.secret());
        putIfSet(body, "pin", settings.pin());
        ArrayNode media = body.putArray("media");
        ObjectNode video = media.addObject();
        video.put("type", "video");
        video.put("mid", "v");
        video.put("label", settings.video());
        video.put("port", 0); // Janus picks a free port from its range and says which
        video.put("pt", settings.payload());
        video.put("codec", "h264");
        video.put("fmtp", settings.videoFmtp());
        if (!settings.audio().isEmpty()) {
            ObjectNode audio = media.addObject();
            audio.put("type", "audio");
            audio.put("mid", "a");
            audio.put("label", settings.audio());
            audio.put("port", 0);
            audio.put("pt", settings.audioPayload());
            audio.put("codec", "opus");
        }
        JsonNode stream = client.message(session, handle, body).path("stream");
        createdByUs = true;
        return stream;
    }

    /** The port Janus gave for one medium: 1.x answers {@code ports: [{type, mid, port}]}. */
    private static int port(JsonNode stream, String type) {
        for (JsonNode port : stream.path("ports")) {
            if (type.equals(port.path("type").asText())) {
                return port.path("port").asInt();
            }
        }
        return stream.path(type + "_port").asInt(); // older answers
    }

    /** Every keepalive period: is the mountpoint still there? The request also keeps the session alive. */
    private void check() {
        if (closed) {
            return;
        }
        try {
            ObjectNode body = client.body("info");
            body.put("id", settings.id());
            putIfSet(body, "secret", settings.secret());
            client.message(session, handle, body);
            reachable = true;
            schedule(this::check, settings.keepaliveSeconds() * 1000L);
        } catch (JanusException e) {
            failed(e);
        }
    }

    private void failed(JanusException e) {
        if (closed) {
            return;
        }
        reachable = e.reachable();
        String reason = e.code() == JanusException.NO_SUCH_STREAM
                ? "mountpoint " + settings.id() + " is gone from Janus (destroyed, or Janus restarted): " + e.getMessage()
                : e.code() == UNAUTHORIZED ? e.getMessage() + ": check admin.key and secret against Janus's"
                        + " streaming plugin configuration"
                : e.sessionLost() ? "Janus forgot the session (it restarted, or the session timed out): "
                        + e.getMessage() : e.getMessage();
        lastError = reason;
        lastErrorAt = Instant.now();
        if (e.sessionLost() || !e.reachable()) {
            session = 0; // a Janus that was unreachable may have restarted: start with a new session
            handle = 0;
        }
        if (!e.reachable()) {
            // a restarted Janus knows nothing of the mountpoint; one that comes back without a restart still has it
            // and it is ours: createMountpoint replaces it
            stopPush();
        }
        state = "RETRYING";
        LOG.warn("Janus '{}' ({} mountpoint {}): {}; trying again in {} ms", settings.name(), settings.urlText(),
                settings.id(), reason, retryMillis);
        schedule(this::publish, retryMillis);
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
    }

    private void schedule(Runnable task, long delayMillis) {
        if (next != null) {
            next.cancel(false);
        }
        next = control.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void stopPush() {
        if (push != null) {
            push.close();
            push = null;
        }
        videoPort = 0;
        audioPort = 0;
    }

    private void destroyMountpoint() throws JanusException {
        ObjectNode body = client.body("destroy");
        body.put("id", settings.id());
        body.put("permanent", false);
        putIfSet(body, "secret", settings.secret());
        client.message(session, handle, body);
    }

    /** On the control thread: stop sending, destroy the mountpoint we created, end the session. */
    private void shutdown() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
        stopPush();
        if (createdByUs) {
            try {
                if (session == 0) {
                    session = client.createSession();
                    handle = client.attach(session, PLUGIN);
                }
                destroyMountpoint();
                LOG.info("Janus '{}': mountpoint {} destroyed on {}", settings.name(), settings.id(),
                        settings.urlText());
            } catch (JanusException e) {
                LOG.warn("Janus '{}': could not destroy mountpoint {} on {}: {}", settings.name(), settings.id(),
                        settings.urlText(), e.getMessage());
            }
        }
        if (session != 0) {
            try {
                client.destroySession(session);
            } catch (JanusException e) {
                LOG.debug("Janus '{}': session not destroyed: {}", settings.name(), e.getMessage());
            }
            session = 0;
        }
        state = "STOPPED";
    }

    JanusMountpoint status() {
        RtpPush current = push;
        return new JanusMountpoint(settings.name(), settings.urlText(), settings.id(), settings.video(),
                settings.audio(), state, reachable, videoPort, audioPort, current == null ? null : current.state(),
                lastError, lastErrorAt, publishedAt);
    }

    private static void putIfSet(ObjectNode body, String key, String value) {
        if (!value.isEmpty()) {
            body.put(key, value);
        }
    }

    @Override
    public void close() {
        try {
            control.submit(this::shutdown);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return;
        }
        control.shutdown();
        try {
            // three requests at most, each with its own time limit
            if (!control.awaitTermination(3L * settings.timeoutSeconds() + 10, TimeUnit.SECONDS)) {
                control.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
