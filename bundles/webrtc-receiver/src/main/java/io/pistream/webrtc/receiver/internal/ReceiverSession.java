package io.pistream.webrtc.receiver.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.webrtc.internal.session.Sdp;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.session.WebRtcNative;
import io.pistream.webrtc.internal.session.WebRtcSession;

import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.glib.Natives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one remote producer (a browser's gstwebrtc-api producer session, or any webrtcsink-like peer): it
 * answers the producer's offer, plays the audio on the configured sink, and discards, records or hands over
 * the video. The codecs are chosen in the answer: H.264 only when recording to MP4, VP8 or H.264 otherwise,
 * and Opus for audio.
 * <p>
 * This class leads the session; {@link OfferedCodecs} chooses from the offer, {@link ReceiveBranches} builds what each
 * stream goes into, {@link Recording} writes the files and {@link MediaCounter} counts what arrives.
 */
public final class ReceiverSession extends WebRtcSession {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiverSession.class);

    /** What happens to received video. */
    public enum VideoMode {
        DISCARD, RECORD, COMPOSITE
    }

    /**
     * Where received media goes.
     *
     * @param video           discard, record or composite
     * @param recordDirectory directory of recordings
     * @param recordFormat    {@code mkv} or {@code mp4}
     * @param segmentSeconds  length of a recording file; 0 for one file
     * @param audioSink       element factory of the audio output (checked against a list)
     * @param audioDevice     {@code device} of alsasink/pulsesink, or empty
     */
    public record Output(VideoMode video, Path recordDirectory, String recordFormat, int segmentSeconds,
            String audioSink, String audioDevice) {
    }

    /** Takes decoded video frames for the composite mode. */
    public interface VideoConsumer {
        /** Builds the element (usually an appsink bin with a ghost {@code sink} pad) that takes raw video. */
        Element createSink(String sessionId) throws MediaException;

        /** The session ended; the element is about to be freed. */
        void released(String sessionId);
    }

    private final String producerName;
    private final Output output;
    private final VideoConsumer videoConsumer;
    private final OfferedCodecs codecs;
    private final MediaCounter videoCounter = new MediaCounter(this::firstMedia);
    private final MediaCounter audioCounter = new MediaCounter(this::firstMedia);
    /** Built once the pipeline is, in {@link #begin}. */
    private volatile ReceiveBranches branches;
    /** In record mode, once the offer is taken. */
    private volatile Recording recording;

    public ReceiverSession(String sessionId, String producerId, String producerName, Output output,
            VideoConsumer videoConsumer, SessionSettings settings, Owner owner, ScheduledExecutorService control,
            Executor teardown) {
        super("receiver", sessionId, producerId, settings, owner, control, teardown);
        this.producerName = producerName;
        this.output = output;
        this.videoConsumer = videoConsumer;
        this.codecs = new OfferedCodecs(output);
    }

    public long videoBuffers() {
        return videoCounter.buffers();
    }

    public long audioBuffers() {
        return audioCounter.buffers();
    }

    /** Recording files written or being written. */
    public List<Path> files() {
        Recording current = recording;
        return current == null ? List.of() : current.files();
    }

    @Override
    protected void begin() {
        videoCounter.register();
        audioCounter.register();
        branches = new ReceiveBranches(sessionId, pipeline, this::keep, output, videoConsumer);
        pipeline.play();
    }

    // --- negotiation: the producer offers, we answer ----------------------------------------------------------

    @Override
    public void remoteDescription(String type, String sdp) {
        if (isEnded()) {
            return;
        }
        if (!"offer".equals(type)) {
            LOG.warn("Session {}: unexpected {} from producer {} ignored", sessionId, type, peerId);
            return;
        }
        if (state() != Phase.NEGOTIATING) {
            LOG.warn("Session {}: renegotiation from {} is not supported; ignored", sessionId, peerId);
            return;
        }
        Sdp offer = Sdp.parse(sdp == null ? "" : sdp);
        if (offer.media().isEmpty()) {
            end("the producer's offer is not SDP or has no media", true);
            return;
        }
        List<String> preferences = codecs.choose(offer);
        if (codecs.none()) {
            end("the producer offers nothing this receiver takes (video " + codecs.acceptedVideo() + ", audio OPUS)",
                    true);
            return;
        }
        try {
            if (output.video() == VideoMode.RECORD) {
                Recording prepared = new Recording(sessionId, pipeline, this::keep, output);
                recording = prepared;
                prepared.prepare(producerName, codecs);
            }
        } catch (MediaException | RuntimeException e) {
            end("cannot record: " + e.getMessage(), true);
            return;
        }
        then(WebRtcNative.setDescription(webrtcbin, false, WebRtcNative.SDP_OFFER, sdp, control, requestTimeout()),
                "the producer's offer was refused", ignored -> {
                    for (WebRtcNative.Transceiver transceiver : WebRtcNative.transceivers(webrtcbin)) {
                        int mline = transceiver.mlineIndex();
                        String caps = mline >= 0 && mline < preferences.size() ? preferences.get(mline) : null;
                        WebRtcNative.configureTransceiver(webrtcbin, transceiver.index(),
                                caps == null ? WebRtcNative.DIRECTION_INACTIVE : WebRtcNative.DIRECTION_RECVONLY,
                                caps);
                    }
                    remoteDescriptionSet();
                    then(WebRtcNative.createDescription(webrtcbin, false, control, requestTimeout()),
                            "creating the answer", answer -> then(WebRtcNative.setDescription(webrtcbin, true,
                                    WebRtcNative.SDP_ANSWER, answer, control, requestTimeout()),
                                    "setting the local answer", done -> {
                                        sendLocalDescription("answer", answer);
                                        setCodecs(codecs.names());
                                        LOG.info("Session {}: receiving {} from '{}' ({})", sessionId, codecs.names(),
                                                producerName, peerId);
                                    }));
                });
    }

    @Override
    protected void connected() {
        // media flows into the branches built in padAdded
    }

    // --- media ------------------------------------------------------------------------------------------------

    /** On a GStreamer thread: one incoming stream of the producer. */
    @Override
    protected void padAdded(Pointer padPointer) {
        String caps = WebRtcNative.padCaps(padPointer);
        if (caps == null || !caps.startsWith("application/x-rtp")) {
            return;
        }
        boolean video = caps.contains("media=(string)video");
        try {
            Pad pad = keep(Natives.objectFor(padPointer, Pad.class, true, true));
            Element first = video ? branches.video(codecs.video(), recording, videoCounter)
                    : branches.audio(recording, audioCounter);
            pad.link(first.getStaticPad("sink"));
            LOG.debug("Session {}: {} stream linked", sessionId, video ? "video" : "audio");
        } catch (MediaException | RuntimeException e) {
            control.execute(() -> end("cannot take the " + (video ? "video" : "audio") + " stream: " + e.getMessage(),
                    true));
        }
    }

    /** Ends the recording properly (EOS through the muxer) so that the files are complete and seekable. */
    @Override
    protected void beforeFree(Pipeline doomed) {
        Recording current = recording;
        if (current != null) {
            current.finish();
        }
    }

    @Override
    protected void release() {
        videoCounter.unregister();
        audioCounter.unregister();
    }

    @Override
    protected void afterFree() {
        if (videoConsumer != null && output.video() == VideoMode.COMPOSITE) {
            videoConsumer.released(sessionId);
        }
    }
}
