package io.pistream.rtp.push;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;


import io.pistream.api.Codecs;
import io.pistream.api.EncodedBuffer;
import io.pistream.api.EncodedStreamSink;
import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.AppSrcSink;
import io.pistream.gstreamer.Elements;

import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a source's shared H.264 (and optionally Opus) as RTP over UDP: {@code appsrc ! rtph264pay ! udpsink}.
 * It waits for its sources to appear, and rebuilds itself with a growing delay after an error or when a source
 * goes away, so that a camera coming back is sent again.
 */
public final class RtpPush implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtpPush.class);
    private static final long MIN_RETRY_MILLIS = 1000;
    private static final long MAX_RETRY_MILLIS = 30_000;

    private final MediaHub hub;
    private final RtpTarget settings;
    private final ScheduledExecutorService control;
    private final List<Subscription> subscriptions = new ArrayList<>();
    private Pipeline pipeline;
    private int generation;
    private long retryMillis = MIN_RETRY_MILLIS;
    private volatile String state = "STARTING";
    private volatile String lastError;
    private boolean closed;

    /** Starts sending at once (on a thread of its own); {@link #close()} stops. */
    public RtpPush(MediaHub hub, RtpTarget settings) {
        this.hub = hub;
        this.settings = settings;
        this.control = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pistream-rtp-" + settings.name());
            thread.setDaemon(true);
            return thread;
        });
        control.execute(this::start);
    }

    private void start() {
        if (closed) {
            return;
        }
        generation++;
        int thisGeneration = generation;
        try {
            Pipeline built = new Pipeline("rtp-" + settings.name());
            pipeline = built;
            AppSrc video = branch(built, "video", "rtph264pay", settings.port(), settings.payload());
            AppSrc audio = settings.audio().isEmpty() ? null
                    : branch(built, "audio", "rtpopuspay", settings.audioPort(), settings.audioPayload());
            // the feeds configure their appsrc, which must happen before the pipeline starts
            EncodedStreamSink videoFeed = sink(video, thisGeneration);
            EncodedStreamSink audioFeed = audio == null ? null : sink(audio, thisGeneration);
            Bus bus = built.getBus();
            bus.connect((Bus.ERROR) (origin, code, message) -> control.execute(() ->
                    failed(thisGeneration, (origin != null ? origin.getName() + ": " : "") + message)));
            built.play();
            subscriptions.add(hub.subscribe(settings.video(), Codecs.H264, videoFeed));
            if (audioFeed != null) {
                subscriptions.add(hub.subscribe(settings.audio(), Codecs.OPUS, audioFeed));
            }
            state = "SENDING";
            retryMillis = MIN_RETRY_MILLIS;
            LOG.info("RTP push '{}': sending {} to {}:{}{}", settings.name(), settings.video(), settings.host(),
                    settings.port(), audio == null ? "" : " and " + settings.audio() + " to port " + settings.audioPort());
        } catch (MediaException | RuntimeException e) {
            failed(thisGeneration, e.getMessage());
        }
    }

    private AppSrc branch(Pipeline target, String name, String payloader, int port, int payloadType)
            throws MediaException {
        AppSrc source = (AppSrc) Elements.make("appsrc", name);
        Element pay = Elements.make(payloader, null);
        pay.set("pt", payloadType);
        pay.set("mtu", settings.mtu());
        if (payloader.equals("rtph264pay")) {
            pay.set("config-interval", -1); // SPS/PPS with every key frame: a late receiver starts at the next one
            pay.setAsString("aggregate-mode", "zero-latency");
        }
        Element udp = Elements.make("udpsink", null);
        udp.set("host", settings.host());
        udp.set("port", port);
        udp.set("sync", false);
        udp.set("async", false);
        target.addMany(source, pay, udp);
        if (!Element.linkMany(source, pay, udp)) {
            throw new MediaException("Cannot link the " + name + " RTP branch");
        }
        return source;
    }

    /** Feeds the appsrc; when the source goes away the push waits for it to come back. */
    private EncodedStreamSink sink(AppSrc source, int sinkGeneration) {
        AppSrcSink feed = new AppSrcSink(source);
        return new EncodedStreamSink() {
            @Override
            public void onCaps(String caps) {
                feed.onCaps(caps);
            }

            @Override
            public boolean onBuffer(EncodedBuffer buffer) {
                return feed.onBuffer(buffer);
            }

            @Override
            public void onEnd(String reason) {
                control.execute(() -> failed(sinkGeneration, reason));
            }
        };
    }

    private void failed(int failedGeneration, String message) {
        if (closed || failedGeneration != generation) {
            return;
        }
        lastError = message;
        stopPipeline();
        state = "WAITING";
        LOG.warn("RTP push '{}': {}; trying again in {} ms", settings.name(), message, retryMillis);
        control.schedule(this::start, retryMillis, TimeUnit.MILLISECONDS);
        retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
    }

    private void stopPipeline() {
        generation++;
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        if (pipeline != null) {
            pipeline.setState(State.NULL);
            pipeline.dispose();
            pipeline = null;
        }
    }

    /** STARTING, SENDING, WAITING (for a source, or after an error) or STOPPED. */
    public String state() {
        return state;
    }

    /** Why it last stopped sending, or {@code null}. */
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        control.execute(() -> {
            closed = true;
            stopPipeline();
            state = "STOPPED";
            LOG.info("RTP push '{}' stopped", settings.name());
        });
        control.shutdown();
        try {
            control.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
