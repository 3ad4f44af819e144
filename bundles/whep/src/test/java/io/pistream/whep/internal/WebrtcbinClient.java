package io.pistream.whep.internal;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.testing.WebrtcbinPeer;

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
    private volatile WebrtcbinPeer peer;
    private volatile String location;
    private volatile String answer;

    /** Builds the offer and waits until ICE gathering is complete; returns the offer's text. */
    String prepare(List<RtpCodec> video) throws Exception {
        String sdp = executor.submit(() -> {
            peer = WebrtcbinPeer.receiving("whep-client", executor, message -> { }).onAddresses(List.of("127.0.0.1"));
            for (RtpCodec codec : video) {
                peer.receive(codec, codec == RtpCodec.VP8 ? 96 : 102);
            }
            peer.receive(RtpCodec.OPUS, 111);
            peer.play();
            return peer.offer();
        }).get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        peer.awaitGathering(Duration.ofSeconds(5));
        return sdp;
    }

    /** Offers, POSTs, and applies the answer; returns the POST's response (the session runs on a 201). */
    HttpResponse<String> play(TestDoor door, String path, String token, List<RtpCodec> video, Trickle trickle)
            throws Exception {
        String offer = prepare(video);
        List<Object[]> gathered = peer.gatheredCandidates();
        HttpResponse<String> created = door.post(path, token,
                trickle == Trickle.IN_OFFER ? DoorSession.withCandidates(offer, gathered) : offer);
        if (created.statusCode() != 201) {
            return created;
        }
        location = created.headers().firstValue("Location").orElseThrow();
        answer = created.body();
        executor.submit(() -> peer.accept(created.body())).get().get(10, TimeUnit.SECONDS);
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

    long videoFrames() {
        return peer == null ? 0 : peer.videoFrames();
    }

    long audioBuffers() {
        return peer == null ? 0 : peer.audioBuffers();
    }

    String videoCodec() {
        return peer == null ? null : peer.videoCodec();
    }

    String location() {
        return location;
    }

    String answer() {
        return answer;
    }

    /** Milliseconds from the start to the first decoded frame, or -1. */
    long firstFrameMillis() {
        return peer == null ? -1 : peer.firstFrameMillis();
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
