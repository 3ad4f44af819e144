package io.pistream.janus.testing;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pistream.webrtc.testing.WebrtcbinPeer;

import org.freedesktop.gstreamer.Element;

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
    private final List<String> events = new CopyOnWriteArrayList<>();
    private JanusHttp api;
    private Thread poller;
    private volatile WebrtcbinPeer peer;
    private volatile boolean closed;
    private volatile Supplier<List<Element>> videoTail;
    private volatile int jitterMillis = -1;

    public JanusViewer(URI url, long mountpoint) {
        this.url = url;
        this.mountpoint = mountpoint;
    }

    /** Video goes from the depayloader into these elements instead of a decoder (the benchmark's frame stamps). */
    public JanusViewer videoTail(Supplier<List<Element>> tail) {
        videoTail = tail;
        return this;
    }

    /** The jitter buffer's latency (webrtcbin's default is 200 ms); before {@link #start()}. */
    public JanusViewer latency(int millis) {
        jitterMillis = millis;
        return this;
    }

    public JanusViewer start() throws Exception {
        executor.submit(() -> {
            peer = WebrtcbinPeer.receiving("janus-viewer", executor, events::add);
            if (videoTail != null) {
                peer.videoTail(videoTail);
            }
            if (jitterMillis >= 0) {
                peer.latency(jitterMillis);
            }
            peer.play();
            return null;
        }).get(10, TimeUnit.SECONDS);
        api = new JanusHttp(url);
        poller = new Thread(this::poll, "janus-viewer-poll");
        poller.setDaemon(true);
        poller.start();
        peer.markStart();
        ObjectNode watch = JanusHttp.JSON.createObjectNode();
        watch.put("request", "watch");
        watch.put("id", mountpoint);
        api.message(watch, null);
        return this;
    }

    private void send(int mlineIndex, String candidate) {
        ObjectNode trickle = JanusHttp.JSON.createObjectNode();
        trickle.put("sdpMLineIndex", mlineIndex);
        trickle.put("candidate", candidate);
        try {
            api.trickle(trickle);
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
                peer.addRemoteCandidate(candidate.path("sdpMLineIndex").asInt(),
                        candidate.path("candidate").asText());
            }
        }
    }

    private void answer(String offer) {
        // Janus never gathers on loopback (it skips IFF_LOOPBACK interfaces), so the viewer meets it on the
        // addresses Janus offers that are local: in the tests, the one of their own network namespace.
        List<String> addresses = localAddressesOffered(offer);
        events.add("ICE on " + addresses);
        if (addresses.isEmpty()) {
            events.add("Janus offered no address of this machine: " + offer);
            return;
        }
        peer.onAddresses(addresses).answer(offer).whenCompleteAsync((answer, error) -> {
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
                peer.sendCandidatesTo(this::send);
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

    public long videoFrames() {
        return peer == null ? 0 : peer.videoFrames();
    }

    public long audioBuffers() {
        return peer == null ? 0 : peer.audioBuffers();
    }

    /** Milliseconds from {@code watch} to the first decoded frame, or -1. */
    public long firstFrameMillis() {
        return peer == null ? -1 : peer.firstFrameMillis();
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
        WebrtcbinPeer.stopOn(executor, () -> {
            if (peer != null) {
                peer.close();
            }
        }, message -> LOG.warn("Viewer {}", message));
        if (poller != null) {
            poller.interrupt();
        }
    }
}
