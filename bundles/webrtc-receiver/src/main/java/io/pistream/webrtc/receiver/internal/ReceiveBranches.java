package io.pistream.webrtc.receiver.internal;

import io.pistream.api.MediaException;
import io.pistream.gstreamer.Elements;
import io.pistream.webrtc.internal.session.RtpCodec;

import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;

/**
 * Builds, in the running pipeline of a receiver session, the branch each incoming RTP stream goes into: video to a
 * fake sink, the recording or the composite output, audio to the speaker (and the recording), each ending in a
 * counted pad.
 */
final class ReceiveBranches {

    private final String sessionId;
    private final Pipeline pipeline;
    private final Keeper keeper;
    private final ReceiverSession.Output output;
    private final ReceiverSession.VideoConsumer videoConsumer;

    ReceiveBranches(String sessionId, Pipeline pipeline, Keeper keeper, ReceiverSession.Output output,
            ReceiverSession.VideoConsumer videoConsumer) {
        this.sessionId = sessionId;
        this.pipeline = pipeline;
        this.keeper = keeper;
        this.output = output;
        this.videoConsumer = videoConsumer;
    }

    /**
     * @param codec the video codec taken, or {@code null} (then VP8)
     * @param recording the recording, in record mode
     * @return the first element of the branch, to link the stream to
     */
    Element video(RtpCodec codec, Recording recording, MediaCounter counter) throws MediaException {
        RtpCodec taken = codec == null ? RtpCodec.VP8 : codec;
        switch (output.video()) {
            case RECORD -> {
                Element depay = Elements.make(taken.depayloader(), null);
                Element queue = queue();
                Element first;
                if (taken == RtpCodec.H264) {
                    Element parse = Elements.make("h264parse", null);
                    first = chain(depay, parse, queue);
                } else {
                    first = chain(depay, queue);
                }
                record(recording, queue, true);
                counter.count(queue);
                return first;
            }
            case COMPOSITE -> {
                if (videoConsumer == null) {
                    throw new MediaException("no composite output is running");
                }
                Element sink = videoConsumer.createSink(sessionId);
                Element first = chain(Elements.make(taken.depayloader(), null), Elements.make(taken.decoder(), null),
                        queue(), sink);
                counter.count(sink);
                return first;
            }
            default -> {
                Element sink = sink("fakesink");
                chain(sink);
                counter.count(sink);
                return sink;
            }
        }
    }

    /**
     * @param recording the recording, or {@code null}: the Opus stream is recorded as it came when it has audio
     * @return the first element of the branch, to link the stream to
     */
    Element audio(Recording recording, MediaCounter counter) throws MediaException {
        Element depay = Elements.make(RtpCodec.OPUS.depayloader(), null);
        Element decoder = Elements.make("opusdec", null);
        Element convert = Elements.make("audioconvert", null);
        Element resample = Elements.make("audioresample", null);
        Element speaker = sink(output.audioSink());
        if (!output.audioDevice().isEmpty()) {
            speaker.set("device", output.audioDevice());
        }
        if (recording == null || !recording.hasAudio()) {
            Element first = chain(depay, decoder, convert, resample, queue(), speaker);
            counter.count(speaker);
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
        record(recording, recordQueue, false);
        counter.count(speaker);
        return first;
    }

    private static void record(Recording recording, Element from, boolean video) throws MediaException {
        if (recording == null) {
            throw new MediaException("the recording has no pad for this stream");
        }
        recording.link(from, video);
    }

    /** Adds elements to the running pipeline, links them in order and starts them; returns the first. */
    private Element chain(Element... elements) throws MediaException {
        for (Element element : elements) {
            keeper.keep(element);
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

    private static void link(Element tee, Element next) throws MediaException {
        if (!tee.link(next)) {
            throw new MediaException("cannot link " + tee.getName() + " to " + next.getName());
        }
    }

    private static Element queue() throws MediaException {
        Element queue = Elements.make("queue", null);
        queue.set("max-size-buffers", 0);
        queue.set("max-size-bytes", 0);
        queue.set("max-size-time", 2_000_000_000L);
        queue.setAsString("leaky", "downstream");
        return queue;
    }

    private static Element sink(String factory) throws MediaException {
        Element sink = Elements.make(factory, null);
        if (factory.equals("fakesink")) {
            sink.set("sync", false);
        }
        sink.set("async", false);
        return sink;
    }
}
