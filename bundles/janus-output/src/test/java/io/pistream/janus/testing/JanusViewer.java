package io.pistream.janus.testing;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.WebRtcNative;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.NativeObject;
import org.freedesktop.gstreamer.glib.Natives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebRTC viewer of a Janus streaming mountpoint, the way janus.js does it over HTTP: session, handle on
 * janus.plugin.streaming, {@code watch}, Janus's offer from the long poll, {@code start} with the answer, trickled
 * candidates. Its {@code webrtcbin} decodes what arrives and counts video frames and audio buffers.
 */
public final class JanusViewer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JanusViewer.class);

    private final URI url;
    private final long mountpoint;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "janus-viewer");
        thread.setDaemon(true);
        return thread;
    });
    private final List<NativeObject> wrappers = new CopyOnWriteArrayList<>();
    private final List<ObjectNode> pendingCandidates = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicLong videoFrames = new AtomicLong();
    private final AtomicLong audioBuffers = new AtomicLong();
    private JanusHttp api;
    private Thread poller;
    private Pipeline pipeline;
    private Pointer webrtcbin;
    private long handlerKey;
    private long videoKey;
    private long audioKey;
    private volatile boolean answered;
    private volatile boolean closed;
    private volatile long startNanos;
    private volatile long firstFrameNanos;

    public JanusViewer(URI url, long mountpoint) {
        this.url = url;
        this.mountpoint = mountpoint;
    }

    public JanusViewer start() throws Exception {
        executor.submit(() -> {
            buildPipeline();
            pipeline.play();
            return null;
        }).get(10, TimeUnit.SECONDS);
        api = new JanusHttp(url);
        poller = new Thread(this::poll, "janus-viewer-poll");
        poller.setDaemon(true);
        poller.start();
        startNanos = System.nanoTime();
        ObjectNode watch = JanusHttp.JSON.createObjectNode();
        watch.put("request", "watch");
        watch.put("id", mountpoint);
        api.message(watch, null);
        return this;
    }

    private void buildPipeline() throws MediaException {
        pipeline = new Pipeline("janus-viewer");
        Element bin = Elements.make("webrtcbin", null);
        wrappers.add(bin);
        pipeline.add(bin);
        webrtcbin = Natives.getRawPointer(bin);
        WebRtcNative.setInt(webrtcbin, "bundle-policy", WebRtcNative.BUNDLE_MAX_BUNDLE);
        handlerKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onIceCandidate(int mlineIndex, String candidate) {
                ObjectNode trickle = JanusHttp.JSON.createObjectNode();
                trickle.put("sdpMLineIndex", mlineIndex);
                trickle.put("candidate", candidate);
                executor.execute(() -> {
                    if (answered) {
                        send(trickle);
                    } else {
                        pendingCandidates.add(trickle);
                    }
                });
            }

            @Override
            public void onPadAdded(Pointer pad) {
                decode(pad);
            }
        });
        WebRtcNative.connectSignals(webrtcbin, handlerKey);
        videoKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onBuffer(Pointer pad, Pointer buffer) {
                if (videoFrames.incrementAndGet() == 1) {
                    firstFrameNanos = System.nanoTime();
                }
            }
        });
        audioKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onBuffer(Pointer pad, Pointer buffer) {
                audioBuffers.incrementAndGet();
            }
        });
    }

    private void send(ObjectNode candidate) {
        try {
            api.trickle(candidate);
        } catch (Exception e) {
            LOG.warn("Viewer: trickle failed: {}", e.toString());
        }
    }

    /** Janus's events come on the session's long poll: the offer, trickled candidates, status. */
    private void poll() {
        while (!closed) {
            try {
                JsonNode answer = api.poll();
                for (JsonNode event : answer.isArray() ? answer : List.of(answer)) {
                    handle(event);
                }
            } catch (Exception e) {
                if (!closed) {
                    events.add("poll failed: " + e);
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    private void handle(JsonNode event) {
        String kind = event.path("janus").asText();
        if (!kind.equals("keepalive")) {
            events.add(event.toString());
        }
        JsonNode jsep = event.path("jsep");
        if ("offer".equals(jsep.path("type").asText())) {
            String offer = jsep.path("sdp").asText();
            executor.execute(() -> answer(offer));
        }
        if (kind.equals("trickle")) {
            JsonNode candidate = event.path("candidate");
            if (candidate.has("candidate")) {
                executor.execute(() -> WebRtcNative.addIceCandidate(webrtcbin,
                        candidate.path("sdpMLineIndex").asInt(), candidate.path("candidate").asText()));
            }
        }
    }

    private void answer(String offer) {
        // Janus never gathers on loopback (it skips IFF_LOOPBACK interfaces), so the viewer meets it on the
        // addresses Janus offers that belong to this machine: the packets still never leave it.
        List<String> addresses = localAddressesOffered(offer);
        events.add("ICE on " + addresses);
        if (addresses.isEmpty()) {
            events.add("Janus offered no address of this machine: " + offer);
            return;
        }
        WebRtcNative.addLocalIpAddresses(webrtcbin, addresses);
        WebRtcNative.setDescription(webrtcbin, false, WebRtcNative.SDP_OFFER, offer, executor, 10_000)
                .thenCompose(ignored -> WebRtcNative.createDescription(webrtcbin, false, executor, 10_000))
                .thenCompose(answer -> WebRtcNative.setDescription(webrtcbin, true, WebRtcNative.SDP_ANSWER, answer,
                        executor, 10_000).thenApply(ignored -> answer))
                .whenCompleteAsync((answer, error) -> {
                    if (error != null) {
                        events.add("cannot answer: " + error);
                        return;
                    }
                    try {
                        ObjectNode start = JanusHttp.JSON.createObjectNode();
                        start.put("request", "start");
                        ObjectNode jsep = JanusHttp.JSON.createObjectNode();
                        jsep.put("type", "answer");
                        jsep.put("sdp", answer);
                        api.message(start, jsep);
                        answered = true;
                        pendingCandidates.forEach(this::send);
                        pendingCandidates.clear();
                    } catch (Exception e) {
                        events.add("start failed: " + e);
                    }
                }, executor);
    }

    private static List<String> localAddressesOffered(String offer) {
        java.util.Set<String> addresses = new java.util.LinkedHashSet<>();
        java.util.regex.Matcher candidate = java.util.regex.Pattern
                .compile("a=candidate:\\S+ 1 udp \\d+ (\\d+\\.\\d+\\.\\d+\\.\\d+) \\d+ typ host").matcher(offer);
        while (candidate.find()) {
            try {
                java.net.InetAddress address = java.net.InetAddress.getByName(candidate.group(1));
                if (address.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(address) != null) {
                    addresses.add(candidate.group(1));
                }
            } catch (java.io.IOException e) {
                // not an address of this machine
            }
        }
        return List.copyOf(addresses);
    }

    /** On the streaming thread that added the pad: depayload, decode, count. */
    private void decode(Pointer padPointer) {
        String caps = WebRtcNative.padCaps(padPointer);
        if (caps == null || !caps.startsWith("application/x-rtp")) {
            return;
        }
        String encoding = caps.replaceAll(".*encoding-name=\\(string\\)([A-Za-z0-9]+).*", "$1").toUpperCase();
        RtpCodec codec = RtpCodec.forEncodingName(encoding).orElse(null);
        if (codec == null) {
            events.add("unexpected stream " + caps);
            return;
        }
        try {
            Element depay = Elements.make(codec.depayloader(), null);
            Element decoder = Elements.make(codec.decoder(), null);
            Element sink = Elements.make("fakesink", null);
            sink.set("sync", false);
            sink.set("async", false);
            Bin chain = Elements.chain(null, depay, decoder, sink);
            wrappers.addAll(List.of(depay, decoder, sink, chain));
            pipeline.add(chain);
            chain.syncStateWithParent();
            WebRtcNative.probeBuffers(Natives.getRawPointer(sink.getStaticPad("sink")),
                    codec.isVideo() ? videoKey : audioKey);
            Pad pad = Natives.objectFor(padPointer, Pad.class, true, true);
            wrappers.add(pad);
            pad.link(chain.getStaticPad("sink"));
            events.add("decoding " + codec);
        } catch (MediaException | RuntimeException e) {
            events.add("cannot decode " + caps + ": " + e);
        }
    }

    public long videoFrames() {
        return videoFrames.get();
    }

    public long audioBuffers() {
        return audioBuffers.get();
    }

    /** Milliseconds from {@code watch} to the first decoded frame, or -1. */
    public long firstFrameMillis() {
        long first = firstFrameNanos;
        return first == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(first - startNanos);
    }

    /** What Janus said and what happened, for failure messages. */
    public List<String> events() {
        return events;
    }

    @Override
    public void close() {
        closed = true;
        if (api != null) {
            api.destroy();
        }
        try {
            executor.submit(() -> {
                if (pipeline != null) {
                    WebRtcNative.unregister(handlerKey);
                    WebRtcNative.unregister(videoKey);
                    WebRtcNative.unregister(audioKey);
                    pipeline.setState(State.NULL);
                    wrappers.forEach(NativeObject::dispose);
                    wrappers.clear();
                    pipeline.dispose();
                    pipeline = null;
                }
            }).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Viewer did not stop cleanly: {}", e.toString());
        }
        executor.shutdown();
        if (poller != null) {
            poller.interrupt();
        }
    }
}
