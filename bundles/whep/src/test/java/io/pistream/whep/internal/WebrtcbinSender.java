package io.pistream.whep.internal;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Pointer;

import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.session.WebRtcNative;

import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.Natives;

/**
 * A WHIP sender made of GStreamer's {@code webrtcbin}: a test pattern in VP8 and a tone in Opus, offered with its
 * candidates in the offer and POSTed over HTTP, as gst-plugins-rs' whipclientsink does. Loopback only.
 */
final class WebrtcbinSender implements AutoCloseable {

    /** Fixed test media: nothing here comes from outside the test. */
    private static final String PIPELINE = "webrtcbin name=sender bundle-policy=max-bundle "
            + "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 "
            + "! vp8enc deadline=1 ! rtpvp8pay pt=96 "
            + "! application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000 ! sender. "
            + "audiotestsrc is-live=true wave=sine ! audioconvert ! audioresample ! opusenc ! rtpopuspay pt=111 "
            + "! application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000 ! sender.";

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<Object[]> candidates = new CopyOnWriteArrayList<>();
    private Pipeline pipeline;
    private Element bin;
    private Pointer webrtcbin;
    private long handlerKey;
    private volatile String location;

    HttpResponse<String> send(TestDoor door, String path, String token) throws Exception {
        CompletableFuture<String> offer = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                pipeline = (Pipeline) Gst.parseLaunch(PIPELINE);
                bin = pipeline.getElementByName("sender");
                webrtcbin = Natives.getRawPointer(bin);
                WebRtcNative.addLocalIpAddresses(webrtcbin, List.of("127.0.0.1"));
                handlerKey = WebRtcNative.register(new WebRtcNative.Handler() {
                    @Override
                    public void onIceCandidate(int mlineIndex, String candidate) {
                        if (candidate != null && !candidate.isEmpty()) {
                            candidates.add(new Object[] {mlineIndex, candidate});
                        }
                    }
                });
                WebRtcNative.connectSignals(webrtcbin, handlerKey);
                pipeline.play();
                WebRtcNative.createDescription(webrtcbin, true, executor, 10_000).thenCompose(sdp ->
                        WebRtcNative.setDescription(webrtcbin, true, WebRtcNative.SDP_OFFER, sdp, executor, 10_000)
                                .thenApply(ignored -> sdp)).whenComplete((sdp, error) -> {
                                    if (error != null) {
                                        offer.completeExceptionally(error);
                                    } else {
                                        offer.complete(sdp);
                                    }
                                });
            } catch (RuntimeException e) {
                offer.completeExceptionally(e);
            }
        });
        String sdp = offer.get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && executor.submit(() -> WebRtcNative.getInt(webrtcbin,
                "ice-gathering-state")).get() != WebRtcNative.ICE_GATHERING_COMPLETE) {
            Thread.sleep(20);
        }
        HttpResponse<String> created = door.post(path, token, DoorSession.withCandidates(sdp,
                new ArrayList<>(candidates)));
        if (created.statusCode() == 201) {
            location = created.headers().firstValue("Location").orElseThrow();
            executor.submit(() -> WebRtcNative.setDescription(webrtcbin, false, WebRtcNative.SDP_ANSWER,
                    created.body(), executor, 10_000)).get().get(10, TimeUnit.SECONDS);
        }
        return created;
    }

    String location() {
        return location;
    }

    @Override
    public void close() throws Exception {
        executor.submit(() -> {
            if (pipeline != null) {
                WebRtcNative.unregister(handlerKey);
                pipeline.setState(State.NULL);
                bin.dispose();
                pipeline.dispose();
                pipeline = null;
            }
        }).get(20, TimeUnit.SECONDS);
        executor.shutdown();
    }
}
