package io.pistream.whep.internal;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.testing.WebrtcbinPeer;

/**
 * A WHIP sender made of GStreamer's {@code webrtcbin}: a test pattern in VP8 and a tone in Opus, offered with its
 * candidates in the offer and POSTed over HTTP, as gst-plugins-rs' whipclientsink does. Loopback only.
 */
final class WebrtcbinSender implements AutoCloseable {

    /** Fixed test media: nothing here comes from outside the test. */
    private static final String PIPELINE = "webrtcbin name=webrtcbin bundle-policy=max-bundle "
            + "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=15/1 "
            + "! vp8enc deadline=1 ! rtpvp8pay pt=96 "
            + "! application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000 ! webrtcbin. "
            + "audiotestsrc is-live=true wave=sine ! audioconvert ! audioresample ! opusenc ! rtpopuspay pt=111 "
            + "! application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000 ! webrtcbin.";

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private volatile WebrtcbinPeer peer;
    private volatile String location;

    HttpResponse<String> send(TestDoor door, String path, String token) throws Exception {
        String sdp = executor.submit(() -> {
            peer = WebrtcbinPeer.sending("whip-sender", PIPELINE, executor, message -> { })
                    .onAddresses(List.of("127.0.0.1"));
            peer.play();
            return peer.offer();
        }).get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        peer.awaitGathering(Duration.ofSeconds(5));
        HttpResponse<String> created = door.post(path, token, DoorSession.withCandidates(sdp,
                peer.gatheredCandidates()));
        if (created.statusCode() == 201) {
            location = created.headers().firstValue("Location").orElseThrow();
            executor.submit(() -> peer.accept(created.body())).get().get(10, TimeUnit.SECONDS);
        }
        return created;
    }

    String location() {
        return location;
    }

    @Override
    public void close() {
        WebrtcbinPeer.stopOn(executor, () -> {
            if (peer != null) {
                peer.close();
            }
        }, System.err::println);
    }
}
