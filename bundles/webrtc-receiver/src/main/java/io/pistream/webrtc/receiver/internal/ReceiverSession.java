package io.pistream.webrtc.receiver.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Pointer;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.Sdp;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.session.WebRtcNative;
import io.pistream.webrtc.internal.session.WebRtcSession;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.BufferFlags;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.PadProbeType;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.event.EOSEvent;
import org.freedesktop.gstreamer.glib.Natives;
import org.freedesktop.gstreamer.message.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one remote producer (a browser's gstwebrtc-api producer session, or any webrtcsink-like peer): it
 * answers the producer's offer, plays the audio on the configured sink, and discards, records or hands over
 * the video. The codecs are chosen in the answer: H.264 only when recording to MP4, VP8 or H.264 otherwise,
 * and Opus for audio.
 */
public final class ReceiverSession extends WebRtcSession {

    private static final Logger LOG = LoggerFactory.getLogger(ReceiverSession.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

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
    private final List<Path> files = new CopyOnWriteArrayList<>();
    private final AtomicLong videoBuffers = new AtomicLong();
    private final AtomicLong audioBuffers = new AtomicLong();
    private long videoKey;
    private long audioKey;
    private RtpCodec videoCodec;
    private RtpCodec audioCodec;
    private Element splitmux;
    private Pad recordVideoPad;
    private Pad recordAudioPad;
    private final List<Pad> recordInputs = new CopyOnWriteArrayList<>();
    private final CountDownLatch recordingClosed = new CountDownLatch(1);
    private volatile boolean finishing;

    public ReceiverSession(String sessionId, String producerId, String producerName, Output output,
            VideoConsumer videoConsumer, SessionSettings settings, Owner owner, ScheduledExecutorService control,
            Executor teardown) {
        super("receiver", sessionId, producerId, settings, owner, control, teardown);
        this.producerName = producerName;
        this.output = output;
        this.videoConsumer = videoConsumer;
    }

    public long videoBuffers() {
        return videoBuffers.get();
    }

    public long audioBuffers() {
        return audioBuffers.get();
    }

    /** Recording files written or being written. */
    public List<Path> files() {
        return List.copyOf(files);
    }

    @Override
    protected void begin() {
        videoKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onBuffer(Pointer pad, Pointer buffer) {
                if (videoBuffers.incrementAndGet() == 1) {
                    firstMedia();
                }
            }
        });
        audioKey = WebRtcNative.register(new WebRtcNative.Handler() {
            @Override
            public void onBuffer(Pointer pad, Pointer buffer) {
                if (audioBuffers.incrementAndGet() == 1) {
                    firstMedia();
                }
            }
        });
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
        List<String> preferences = new ArrayList<>();
        for (Sdp.Media media : offer.media()) {
            preferences.add(choose(media));
        }
        if (videoCodec == null && audioCodec == null) {
            end("the producer offers nothing this receiver takes (video " + acceptedVideo() + ", audio OPUS)", true);
            return;
        }
        try {
            if (output.video() == VideoMode.RECORD) {
                prepareRecording();
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
                                        setCodecs(codecNames());
                                        LOG.info("Session {}: receiving {} from '{}' ({})", sessionId, codecNames(),
                                                producerName, peerId);
                                    }));
                });
    }

    private List<RtpCodec> acceptedVideo() {
        if (output.video() == VideoMode.RECORD && output.recordFormat().equals("mp4")) {
            return List.of(RtpCodec.H264); // mp4mux takes no VP8
        }
        return List.of(RtpCodec.VP8, RtpCodec.H264);
    }

    /** Caps for the transceiver of this m-line (the offered payload type of the codec we take), or null. */
    private String choose(Sdp.Media media) {
        if (media.direction().equals("recvonly") || media.direction().equals("inactive")) {
            return null;
        }
        if (media.kind().equals("video") && videoCodec == null) {
            for (RtpCodec codec : acceptedVideo()) {
                Sdp.Format h264 = null;
                for (Sdp.Format format : media.formats()) {
                    if (codec == RtpCodec.VP8 && format.encoding().equals("VP8")) {
                        videoCodec = codec;
                        return codec.sendCaps(format.payload());
                    }
                    // any H.264 can be depayloaded; packetization mode 1 first (what browsers send best)
                    if (codec == RtpCodec.H264 && format.encoding().equals("H264")
                            && (h264 == null || !h264.isH264Mode1() && format.isH264Mode1())) {
                        h264 = format;
                    }
                }
                if (h264 != null) {
                    videoCodec = codec;
                    return codec.sendCaps(h264.payload());
                }
            }
        } else if (media.kind().equals("audio") && audioCodec == null) {
            for (Sdp.Format format : media.formats()) {
                if (format.encoding().equals("OPUS")) {
                    audioCodec = RtpCodec.OPUS;
                    return RtpCodec.OPUS.sendCaps(format.payload());
                }
            }
        }
        return null;
    }

    private String codecNames() {
        List<String> names = new ArrayList<>();
        if (videoCodec != null) {
            names.add(videoCodec.name());
        }
        if (audioCodec != null) {
            names.add(audioCodec.name());
        }
        return String.join("+", names);
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
            Element first = video ? videoBranch() : audioBranch();
            pad.link(first.getStaticPad("sink"));
            LOG.debug("Session {}: {} stream linked", sessionId, video ? "video" : "audio");
        } catch (MediaException | RuntimeException e) {
            control.execute(() -> end("cannot take the " + (video ? "video" : "audio") + " stream: " + e.getMessage(),
                    true));
        }
    }

    /** Adds elements to the running pipeline, links them in order and starts them; returns the first. */
    private Element chain(Element... elements) throws MediaException {
        for (Element element : elements) {
            keep(element);
        }
        pipeline.addMany(elements);
        if (elements.length > 1 && !Element.linkMany(elements)) {
            throw new MediaException("cannot link " + elements[0].getName() + " ... "
                    + elements[elements.length - 1].getName());
        }
        for (int i = elements.length - 1; i >= 0; i--) {
            elements[i].syncStateWithParent();
        }
        return elements[0];
    }

    private Element videoBranch() throws MediaException {
        RtpCodec codec = videoCodec == null ? RtpCodec.VP8 : videoCodec;
        switch (output.video()) {
            case RECORD -> {
                Element depay = Elements.make(codec.depayloader(), null);
                Element queue = queue();
                Element first;
                if (codec == RtpCodec.H264) {
                    Element parse = Elements.make("h264parse", null);
                    first = chain(depay, parse, queue);
                } else {
                    first = chain(depay, queue);
                }
                linkRecord(queue, recordVideoPad);
                countBuffers(queue, videoKey);
                return first;
            }
            case COMPOSITE -> {
                if (videoConsumer == null) {
                    throw new MediaException("no composite output is running");
                }
                Element sink = videoConsumer.createSink(sessionId);
                Element first = chain(Elements.make(codec.depayloader(), null), Elements.make(codec.decoder(), null),
                        queue(), sink);
                countBuffers(sink, videoKey);
                return first;
            }
            default -> {
                Element sink = sink("fakesink");
                chain(sink);
                countBuffers(sink, videoKey);
                return sink;
            }
        }
    }

    private Element audioBranch() throws MediaException {
        Element depay = Elements.make(RtpCodec.OPUS.depayloader(), null);
        Element decoder = Elements.make("opusdec", null);
        Element convert = Elements.make("audioconvert", null);
        Element resample = Elements.make("audioresample", null);
        Element speaker = sink(output.audioSink());
        if (!output.audioDevice().isEmpty()) {
            speaker.set("device", output.audioDevice());
        }
        if (splitmux == null || recordAudioPad == null) {
            Element first = chain(depay, decoder, convert, resample, queue(), speaker);
            countBuffers(speaker, audioKey);
            return first;
        }
        // record the Opus stream as it came, and play it
        Element tee = Elements.make("tee", null);
        Element recordQueue = queue();
        Element parse = Elements.make("opusparse", null);
        Element playQueue = queue();
        Element first = chain(depay, tee);
        chain(parse, recordQueue);
        chain(playQueue, decoder, convert, resample, speaker);
        link(tee, parse);
        link(tee, playQueue);
        linkRecord(recordQueue, recordAudioPad);
        countBuffers(speaker, audioKey);
        return first;
    }

    private static void link(Element tee, Element next) throws MediaException {
        if (!tee.link(next)) {
            throw new MediaException("cannot link " + tee.getName() + " to " + next.getName());
        }
    }

    private Element queue() throws MediaException {
        Element queue = Elements.make("queue", null);
        queue.set("max-size-buffers", 0);
        queue.set("max-size-bytes", 0);
        queue.set("max-size-time", 2_000_000_000L);
        queue.setAsString("leaky", "downstream");
        return queue;
    }

    private Element sink(String factory) throws MediaException {
        Element sink = Elements.make(factory, null);
        if (factory.equals("fakesink")) {
            sink.set("sync", false);
        }
        sink.set("async", false);
        return sink;
    }

    private void countBuffers(Element element, long key) {
        Pointer pad = LibGst.gst_element_get_static_pad(Natives.getRawPointer(element), "sink");
        WebRtcNative.probeBuffers(pad, key);
        LibGst.gst_object_unref(pad);
    }

    // --- recording --------------------------------------------------------------------------------------------

    /** {@code splitmuxsink} with a pad for each stream that will come, before any does. */
    private void prepareRecording() throws MediaException {
        Path directory = output.recordDirectory();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new MediaException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        String base = safe(producerName) + "-" + LocalDateTime.now().format(FILE_TIME);
        String extension = output.recordFormat();
        splitmux = keep(Elements.make("splitmuxsink", "record"));
        String pattern = directory.resolve(base + "-%03d." + extension).toString();
        splitmux.set("location", pattern);
        splitmux.set("muxer-factory", extension.equals("mp4") ? "mp4mux" : "matroskamux");
        if (output.segmentSeconds() > 0) {
            splitmux.set("max-size-time", output.segmentSeconds() * 1_000_000_000L);
            splitmux.set("send-keyframe-requests", true);
        }
        splitmux.set("async-finalize", false);
        pipeline.add(splitmux);
        if (videoCodec != null) {
            recordVideoPad = keep(splitmux.getRequestPad("video"));
        }
        if (audioCodec != null) {
            recordAudioPad = keep(splitmux.getRequestPad("audio_%u"));
        }
        pipeline.getBus().connect((Bus.MESSAGE) (bus, message) -> {
            if (message.getType() != MessageType.ELEMENT) {
                return;
            }
            Structure structure = message.getStructure();
            if (structure == null) {
                return;
            }
            String name = structure.getName();
            if (name.equals("splitmuxsink-fragment-opened")) {
                Path file = Path.of(structure.getString("location"));
                files.add(file);
                LOG.info("Session {}: recording to {}", sessionId, file);
            } else if (name.equals("splitmuxsink-fragment-closed") && finishing) {
                recordingClosed.countDown();
            }
        });
        splitmux.syncStateWithParent();
        LOG.info("Session {}: recording {} from '{}' into {} ({} s files)", sessionId, codecNames(), producerName,
                pattern, output.segmentSeconds() == 0 ? "unlimited" : output.segmentSeconds());
    }

    private void linkRecord(Element from, Pad recordPad) throws MediaException {
        if (recordPad == null) {
            throw new MediaException("the recording has no pad for this stream");
        }
        Pad src = from.getStaticPad("src");
        src.link(recordPad);
        Pad input = keep(from.getStaticPad("sink"));
        recordInputs.add(input);
        boolean[] keyFrameSeen = {recordPad != recordVideoPad};
        // mp4mux fails on a buffer without a timestamp ("Buffer has no PTS"), as the first ones out of the
        // depayloader can be; a file should also start with a key frame
        input.addProbe(PadProbeType.BUFFER, (pad, info) -> {
            Buffer buffer = info.getBuffer();
            if (buffer.getPresentationTimestamp() == -1L) {
                return PadProbeReturn.DROP;
            }
            if (!keyFrameSeen[0]) {
                if (buffer.getFlags().contains(BufferFlags.DELTA_UNIT)) {
                    return PadProbeReturn.DROP;
                }
                keyFrameSeen[0] = true;
            }
            return PadProbeReturn.OK;
        });
    }

    /** Ends the recording properly (EOS through the muxer) so that the files are complete and seekable. */
    @Override
    protected void beforeFree(Pipeline doomed) {
        if (splitmux == null || recordInputs.isEmpty()) {
            return;
        }
        finishing = true;
        for (Pad input : recordInputs) {
            input.sendEvent(new EOSEvent());
        }
        try {
            if (!recordingClosed.await(5, TimeUnit.SECONDS)) {
                LOG.warn("Session {}: the recording did not close within 5 s; {} may be incomplete", sessionId,
                        files);
            } else {
                LOG.info("Session {}: recording closed: {}", sessionId, files);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void release() {
        WebRtcNative.unregister(videoKey);
        WebRtcNative.unregister(audioKey);
    }

    @Override
    protected void afterFree() {
        if (videoConsumer != null && output.video() == VideoMode.COMPOSITE) {
            videoConsumer.released(sessionId);
        }
    }

    private static String safe(String name) {
        String cleaned = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]+", "_");
        cleaned = cleaned.replaceAll("^[._]+", "");
        return cleaned.isEmpty() ? "producer" : cleaned.substring(0, Math.min(48, cleaned.length()));
    }
}
