package io.pistream.webrtc.testing;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A producer made of {@code webrtcbin} that behaves like gstwebrtc-api's browser producer session: it registers
 * as {@code ["listener","producer"]}, and on each {@code startSession} sends a sendrecv offer (ignoring any offer
 * in startSession) with a test pattern and a tone, then trickles ICE.
 */
public final class TestProducer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestProducer.class);

    private final String videoCodec;
    private final ScheduledExecutorService executor;
    private final Signaller signaller;
    private final CompletableFuture<String> registered = new CompletableFuture<>();
    private volatile WebrtcbinPeer peer;
    private volatile String sessionId;
    private volatile boolean answered;
    private volatile String endedReason;

    /**
     * @param videoCodec {@code VP8} or {@code H264}
     * @param meta       extra meta fields, e.g. {@code target=kitchen}
     */
    public TestProducer(URI server, JdkWebSocketConnector connector, String name, String videoCodec,
            String... meta) throws Exception {
        this.videoCodec = videoCodec;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "test-producer");
            thread.setDaemon(true);
            return thread;
        });
        ObjectNode metaNode = JsonNodeFactory.instance.objectNode().put("name", name);
        for (String field : meta) {
            String[] pair = field.split("=", 2);
            metaNode.put(pair[0], pair[1]);
        }
        this.signaller = new Signaller(server, connector, List.of("listener", "producer"), metaNode, new Events(),
                executor, new Signaller.Timing(100_000, 100_000, 0, 100_000));
        signaller.start();
        registered.get(10, TimeUnit.SECONDS);
    }

    private final class Events implements Signaller.Listener {
        @Override
        public void onRegistered(String peerId) {
            registered.complete(peerId);
        }

        @Override
        public void onDisconnected(String reason) {
        }

        @Override
        public void onStartSession(String id, String consumerId, String offer) {
            if (sessionId != null) {
                signaller.endSession(id); // one consumer at a time
                return;
            }
            sessionId = id;
            try {
                start();
            } catch (Exception e) {
                LOG.error("Test producer cannot start", e);
            }
        }

        @Override
        public void onSdp(String id, String type, String sdp) {
            if (id.equals(sessionId) && type.equals("answer") && peer != null) {
                peer.accept(sdp).whenCompleteAsync((ignored, error) -> {
                    if (error != null) {
                        LOG.error("Test producer: answer refused: {}", error.toString());
                    }
                    answered = true;
                }, executor);
            }
        }

        @Override
        public void onIce(String id, int mlineIndex, String candidate) {
            if (id.equals(sessionId) && peer != null) {
                peer.addRemoteCandidate(mlineIndex, candidate);
            }
        }

        @Override
        public void onEndSession(String id) {
            if (id.equals(sessionId)) {
                endedReason = "endSession from the consumer";
                stopPipeline();
                sessionId = null;
            }
        }
    }

    private void start() throws Exception {
        String encoder = videoCodec.equals("H264")
                ? "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 ! "
                        + "video/x-h264,profile=constrained-baseline ! rtph264pay config-interval=-1 "
                        + "aggregate-mode=zero-latency pt=102 ! application/x-rtp,media=video,encoding-name=H264,"
                        + "payload=102,clock-rate=90000,packetization-mode=(string)1"
                : "vp8enc deadline=1 keyframe-max-dist=30 ! rtpvp8pay pt=96 ! "
                        + "application/x-rtp,media=video,encoding-name=VP8,payload=96,clock-rate=90000";
        // test-only pipeline from fixed text: the product never parses launch lines
        WebrtcbinPeer started = WebrtcbinPeer.sending("test-producer", "videotestsrc is-live=true pattern=smpte ! "
                + "video/x-raw,width=320,height=240,framerate=30/1 ! videoconvert ! video/x-raw,format=I420 ! "
                + encoder + " ! queue name=vq ! webrtcbin name=webrtcbin bundle-policy=max-bundle "
                + "audiotestsrc is-live=true wave=sine ! audioconvert ! audioresample ! opusenc ! rtpopuspay pt=111 ! "
                + "application/x-rtp,media=audio,encoding-name=OPUS,payload=111,clock-rate=48000 ! queue ! webrtcbin.",
                executor, message -> LOG.info("Test producer: {}", message)).onAddresses(List.of("127.0.0.1"));
        peer = started;
        started.play();
        started.offer().whenCompleteAsync((offer, error) -> {
            if (error != null) {
                LOG.error("Test producer cannot offer: {}", error.toString());
                return;
            }
            signaller.sendSdp(sessionId, "offer", offer);
            started.sendCandidatesTo((mlineIndex, candidate) -> signaller.sendIce(sessionId, mlineIndex, candidate));
        }, executor);
    }

    public String peerId() {
        return registered.getNow(null);
    }

    public String sessionId() {
        return sessionId;
    }

    public boolean answered() {
        return answered;
    }

    public String endedReason() {
        return endedReason;
    }

    private void stopPipeline() {
        if (peer != null) {
            peer.close();
            peer = null;
            answered = false;
        }
    }

    @Override
    public void close() {
        signaller.close();
        WebrtcbinPeer.stopOn(executor, this::stopPipeline, message -> LOG.warn("Test producer {}", message));
    }
}
