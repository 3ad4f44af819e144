package io.pistream.whep.internal;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;
import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.WebRtcNative;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.NativeObject;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * A WHEP player made of GStreamer's {@code webrtcbin}: it offers to receive the given video codecs and Opus, POSTs
 * the offer over HTTP (with its candidates in it, or without and PATCHes them afterwards), applies the answer and
 * decodes what arrives, counting frames. Loopback only.
 */
final class WebrtcbinClient implements AutoCloseable {

    /** How the client's candidates reach the device. */
    enum Trickle {
        IN_OFFER, PATCH
    }

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<NativeObject> wrappers = new CopyOnWriteArrayList<>();
    private final List<Object[]> candidates = new CopyOnWriteArrayList<>();
    private final AtomicLong videoFrames = new AtomicLong();
    private final AtomicLong audioBuffers = new AtomicLong();
    private Pipeline pipeline;
    private Pointer webrtcbin;
    private long handlerKey;
    private long videoKey;
    private long audioKey;
    private volatile String videoCodec;
    private volatile long startNanos;
    private volatile long firstFrameNanos;
    private volatile String location;
    private volatile String answer;

    /** Builds the offer and waits until ICE gathering is complete; returns the offer's text. */
    String prepare(List<RtpCodec> video) throws Exception {
        CompletableFuture<String> offer = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                build();
                for (RtpCodec codec : video) {
                    WebRtcNative.addTransceiver(webrtcbin, WebRtcNative.DIRECTION_RECVONLY,
                            codec.offerCaps(codec == RtpCodec.VP8 ? 96 : 102));
                }
                WebRtcNative.addTransceiver(webrtcbin, WebRtcNative.DIRECTION_RECVONLY, RtpCodec.OPUS.offerCaps(111));
                pipeline.play();
                startNanos = System.nanoTime();
                WebRtcNative.createDescription(webrtcbin, true, executor, 10_000).thenCompose(sdp ->
                        WebRtcNative.setDescription(webrtcbin, true, WebRtcNative.SDP_OFFER, sdp, executor, 10_000)
                                .thenApply(ignored -> sdp)).whenComplete((sdp, error) -> {
                                    if (error != null) {
                                        offer.completeExceptionally(error);
                                    } else {
                                        offer.complete(sdp);
                                    }
                                });
            } catch (Exception e) {
                offer.completeExceptionally(e);
            }
        });
        String sdp = offer.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && executor.submit(() -> WebRtcNative.getInt(webrtcbin,
                "ice-gathering-state")).get() != WebRtcNative.ICE_GATHERING_COMPLETE) {
            Thread.sleep(20);
        }
        return sdp;
    }

    /** Offers, POSTs, and applies the answer; returns the POST's response (the session runs on a 201). */
    HttpResponse<String> play(TestDoor door, String path, String token, List<RtpCodec> video, Trickle trickle)
            throws Exception {
        String offer = prepare(video);
        List<Object[]> gathered = new ArrayList<>(candidates);
        HttpResponse<String> created = door.post(path, token,
                trickle == Trickle.IN_OFFER ? DoorSession.withCandidates(offer, gathered) : offer);
        if (created.statusCode() != 201) {
            return created;
        }
        location = created.headers().firstValue("Location").orElseThrow();
        answer = created.body();
        executor.submit(() -> WebRtcNative.setDescription(webrtcbin, false, WebRtcNative.SDP_ANSWER, created.body(),
                executor, 10_000)).get().get(10, TimeUnit.SECONDS);
        if (trickle == Trickle.PATCH) {
            StringBuilder fragment = new StringBuilder()
                    .append("a=ice-ufrag:").append(first(offer, "a=ice-ufrag:(\\S+)")).append("\r\n")
                    .append("a=ice-pwd:").append(first(offer, "a=ice-pwd:(\\S+)")).append("\r\n")
                    .append("m=video 9 UDP/TLS/RTP/SAVPF 0\r\n")
                    .append("a=mid:").append(first(offer, "a=mid:(\\S+)")).append("\r\n");
            for (Object[] candidate : gathered) {
                fragment.append("a=").append(candidate[1]).append("\r\n");
            }
            fragment.append("a=end-of-candidates\r\n");
            HttpResponse<String> patched = door.send("PATCH", location, token, SessionResources.SDP_FRAGMENT,
                    fragment.toString(), "If-Match", created.headers().firstValue("ETag").orElseThrow());
            if (patched.statusCode() != 204) {
                throw new IllegalStateException("PATCH answered " + patched.statusCode() + ": " + patched.body());
            }
        }
        return created;
    }

    private static String first(String sdp, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(sdp);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + regex + " in " + sdp);
        }
        return matcher.group(1);
    }

    private void build() throws MediaException {
        pipeline = new Pipeline("whep-client");
        Element bin = Elements.make("webrtcbin", null);
        wrappers.add(bin);
        pipeline.add(bin);
        webrtcbin = Natives.getRawPointer(bin);
        WebRtcNative.setInt(webrtcbin, "bundle-policy", WebRtcNative.BUNDLE_MAX_BUNDLE);
        WebRtcNative.addLocalIpAddresses(webrtcbin, List.of("127.0.0.1"));
        handlerKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onIceCandidate(int mlineIndex, String candidate) {
                if (candidate != null && !candidate.isEmpty()) {
                    candidates.add(new Object[] {mlineIndex, candidate});
                }
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

    /** On the streaming thread that added the pad: depayload, decode, count. */
    private void decode(Pointer padPointer) {
        String caps = WebRtcNative.padCaps(padPointer);
        if (caps == null || !caps.startsWith("application/x-rtp")) {
            return;
        }
        String encoding = caps.replaceAll(".*encoding-name=\\(string\\)([A-Za-z0-9]+).*", "$1").toUpperCase();
        RtpCodec codec = RtpCodec.forEncodingName(encoding).orElse(null);
        if (codec == null) {
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
            if (codec.isVideo()) {
                videoCodec = codec.name();
            }
        } catch (MediaException | RuntimeException e) {
            throw new IllegalStateException("cannot decode " + caps, e);
        }
    }

    long videoFrames() {
        return videoFrames.get();
    }

    long audioBuffers() {
        return audioBuffers.get();
    }

    String videoCodec() {
        return videoCodec;
    }

    String location() {
        return location;
    }

    String answer() {
        return answer;
    }

    /** Milliseconds from the start to the first decoded frame, or -1. */
    long firstFrameMillis() {
        return firstFrameNanos == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(firstFrameNanos - startNanos);
    }

    @Override
    public void close() throws Exception {
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
        executor.shutdown();
    }
}
