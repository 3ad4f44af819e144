package io.pistream.whep.internal;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pistream.webrtc.internal.door.DoorSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.testing.WebrtcbinPeer;

import org.freedesktop.gstreamer.Element;

/**
 * A WHEP player made of GStreamer's {@code webrtcbin}: it offers to receive the given video codecs and Opus, POSTs
 * the offer over HTTP (with its candidates in it, or without and PATCHes them afterwards), applies the answer and
 * decodes what arrives, counting frames. Loopback only. The benchmark suite plays the WHEP door with it too.
 */
public final class WebrtcbinClient implements AutoCloseable {

    /** Sends the offer to the device and returns its response. */
    public interface Poster {
        HttpResponse<String> post(String offer) throws Exception;
    }

    /** How the client's candidates reach the device. */
    enum Trickle {
        IN_OFFER, PATCH
    }

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private volatile WebrtcbinPeer peer;
    private volatile String location;
    private volatile String answer;
    private volatile boolean decodeVideo = true;
    private volatile Supplier<List<Element>> videoTail;
    private volatile int jitterMillis = -1;

    /** Video is depayloaded and counted, not decoded: a client that costs little. */
    public WebrtcbinClient withoutDecoding() {
        decodeVideo = false;
        return this;
    }

    /** Video goes from the depayloader into these elements instead of a decoder (see WebrtcbinPeer). */
    public WebrtcbinClient videoTail(Supplier<List<Element>> tail) {
        videoTail = tail;
        return this;
    }

    /** The jitter buffer's latency (webrtcbin's default is 200 ms). */
    public WebrtcbinClient latency(int millis) {
        jitterMillis = millis;
        return this;
    }

    /** Builds the offer and waits until ICE gathering is complete; returns the offer's text. */
    String prepare(List<RtpCodec> video) throws Exception {
        String sdp = executor.submit(() -> {
            peer = WebrtcbinPeer.receiving("whep-client", executor, message -> { }).onAddresses(List.of("127.0.0.1"));
            if (!decodeVideo) {
                peer.withoutDecoding();
            }
            if (videoTail != null) {
                peer.videoTail(videoTail);
            }
            if (jitterMillis >= 0) {
                peer.latency(jitterMillis);
            }
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

    /**
     * Offers (its candidates in the offer), POSTs with {@code poster}, and applies the answer; returns the POST's
     * response (the session runs on a 201).
     */
    public HttpResponse<String> play(Poster poster, List<RtpCodec> video) throws Exception {
        String offer = prepare(video);
        return answered(poster.post(DoorSession.withCandidates(offer, peer.gatheredCandidates())));
    }

    private HttpResponse<String> answered(HttpResponse<String> created) throws Exception {
        if (created.statusCode() == 201) {
            location = created.headers().firstValue("Location").orElseThrow();
            answer = created.body();
            executor.submit(() -> peer.accept(created.body())).get().get(10, TimeUnit.SECONDS);
        }
        return created;
    }

    /** Offers, POSTs, and applies the answer; returns the POST's response (the session runs on a 201). */
    HttpResponse<String> play(TestDoor door, String path, String token, List<RtpCodec> video, Trickle trickle)
            throws Exception {
        String offer = prepare(video);
        List<Object[]> gathered = peer.gatheredCandidates();
        HttpResponse<String> created = answered(door.post(path, token,
                trickle == Trickle.IN_OFFER ? DoorSession.withCandidates(offer, gathered) : offer));
        if (created.statusCode() != 201) {
            return created;
        }
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

    public long videoFrames() {
        return peer == null ? 0 : peer.videoFrames();
    }

    long audioBuffers() {
        return peer == null ? 0 : peer.audioBuffers();
    }

    String videoCodec() {
        return peer == null ? null : peer.videoCodec();
    }

    public String location() {
        return location;
    }

    String answer() {
        return answer;
    }

    /** {@link System#nanoTime()} at the first video frame, 0 before it. */
    public long firstFrameNanos() {
        return peer == null ? 0 : peer.firstFrameNanos();
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
