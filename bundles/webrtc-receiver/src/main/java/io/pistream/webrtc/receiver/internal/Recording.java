package io.pistream.webrtc.receiver.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;

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
import org.freedesktop.gstreamer.message.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording of one receiver session: a {@code splitmuxsink} in the session's pipeline with a pad for each stream
 * that will come, the files it writes, and its end by EOS so that they are complete and seekable.
 */
final class Recording {

    private static final Logger LOG = LoggerFactory.getLogger(Recording.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final String sessionId;
    private final Pipeline pipeline;
    private final Keeper keeper;
    private final ReceiverSession.Output output;
    private final List<Path> files = new CopyOnWriteArrayList<>();
    private final List<Pad> inputs = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile boolean finishing;
    private Element splitmux;
    private Pad videoPad;
    private Pad audioPad;

    Recording(String sessionId, Pipeline pipeline, Keeper keeper, ReceiverSession.Output output) {
        this.sessionId = sessionId;
        this.pipeline = pipeline;
        this.keeper = keeper;
        this.output = output;
    }

    /** Adds the muxer, with a pad for the video and the audio that will come, before any does. */
    void prepare(String producerName, OfferedCodecs codecs) throws MediaException {
        Path directory = output.recordDirectory();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new MediaException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        String base = safe(producerName) + "-" + LocalDateTime.now().format(FILE_TIME);
        String extension = output.recordFormat();
        splitmux = keeper.keep(Elements.make("splitmuxsink", "record"));
        String pattern = directory.resolve(base + "-%03d." + extension).toString();
        splitmux.set("location", pattern);
        splitmux.set("muxer-factory", extension.equals("mp4") ? "mp4mux" : "matroskamux");
        if (output.segmentSeconds() > 0) {
            splitmux.set("max-size-time", output.segmentSeconds() * 1_000_000_000L);
            splitmux.set("send-keyframe-requests", true);
        }
        splitmux.set("async-finalize", false);
        pipeline.add(splitmux);
        if (codecs.video() != null) {
            videoPad = keeper.keep(splitmux.getRequestPad("video"));
        }
        if (codecs.audio() != null) {
            audioPad = keeper.keep(splitmux.getRequestPad("audio_%u"));
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
                closed.countDown();
            }
        });
        splitmux.syncStateWithParent();
        LOG.info("Session {}: recording {} from '{}' into {} ({} s files)", sessionId, codecs.names(), producerName,
                pattern, output.segmentSeconds() == 0 ? "unlimited" : output.segmentSeconds());
    }

    /** Whether the audio is recorded too (it was offered). */
    boolean hasAudio() {
        return audioPad != null;
    }

    /** Links the end of a branch to the muxer's pad for its kind; video is recorded from its first key frame. */
    void link(Element from, boolean video) throws MediaException {
        Pad recordPad = video ? videoPad : audioPad;
        if (recordPad == null) {
            throw new MediaException("the recording has no pad for this stream");
        }
        Pad src = from.getStaticPad("src");
        src.link(recordPad);
        Pad input = keeper.keep(from.getStaticPad("sink"));
        inputs.add(input);
        boolean[] keyFrameSeen = {!video};
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

    /** Ends the recording (EOS through the muxer) and waits up to 5 s for the last file to close; on teardown. */
    void finish() {
        if (inputs.isEmpty()) {
            return;
        }
        finishing = true;
        for (Pad input : inputs) {
            input.sendEvent(new EOSEvent());
        }
        try {
            if (!closed.await(5, TimeUnit.SECONDS)) {
                LOG.warn("Session {}: the recording did not close within 5 s; {} may be incomplete", sessionId,
                        files);
            } else {
                LOG.info("Session {}: recording closed: {}", sessionId, files);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Files written or being written. */
    List<Path> files() {
        return List.copyOf(files);
    }

    /** A producer's name as the start of a file name: letters, digits, {@code . _ -}, at most 48 characters. */
    static String safe(String name) {
        String cleaned = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]+", "_");
        cleaned = cleaned.replaceAll("^[._]+", "");
        return cleaned.isEmpty() ? "producer" : cleaned.substring(0, Math.min(48, cleaned.length()));
    }
}
