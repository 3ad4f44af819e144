package io.pistream.recorder.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.pistream.api.Codecs;
import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.AppSrcSink;
import io.pistream.gstreamer.Elements;
import io.pistream.recorder.Recording;

import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One recording: {@code appsrc ! h264parse ! mux} (+ {@code appsrc ! opusparse ! mux}) {@code ! filesink}. */
final class RecordingPipeline {

    private static final Logger LOG = LoggerFactory.getLogger(RecordingPipeline.class);

    private final String id;
    private final String video;
    private final String audio;
    private final Path file;
    private final Instant started = Instant.now();
    private final Pipeline pipeline;
    private final List<AppSrc> sources = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile String state = "RECORDING";
    private volatile String error;

    RecordingPipeline(String id, MediaHub hub, String video, String audio, Path file, String container)
            throws MediaException {
        this.id = id;
        this.video = video;
        this.audio = audio;
        this.file = file;
        pipeline = new Pipeline("record-" + id);
        Element mux = Elements.make(container.equals("mp4") ? "mp4mux" : "matroskamux", null);
        if (container.equals("mp4")) {
            // fragments: a recording cut short by a power loss still plays up to the last second
            mux.set("fragment-duration", 1000);
        }
        Element sink = Elements.make("filesink", null);
        sink.set("location", file.toString());
        pipeline.addMany(mux, sink);
        mux.link(sink);
        List<AppSrcSink> feeds = new ArrayList<>();
        feeds.add(branch("video", "h264parse", mux));
        if (audio != null) {
            feeds.add(branch("audio", "opusparse", mux));
        }
        pipeline.getBus().connect((Bus.EOS) origin -> finished.countDown());
        pipeline.getBus().connect((Bus.ERROR) (origin, code, message) -> {
            error = (origin != null ? origin.getName() + ": " : "") + message;
            state = "FAILED";
            LOG.error("Recording {} failed: {}", id, error);
            finished.countDown();
        });
        pipeline.play();
        try {
            subscriptions.add(hub.subscribe(video, Codecs.H264, feeds.get(0)));
            if (audio != null) {
                subscriptions.add(hub.subscribe(audio, Codecs.OPUS, feeds.get(1)));
            }
        } catch (MediaException e) {
            release();
            throw e;
        }
        LOG.info("Recording {} of {}{} to {}", id, video, audio == null ? "" : " and " + audio, file);
    }

    private AppSrcSink branch(String name, String parser, Element mux) throws MediaException {
        AppSrc source = (AppSrc) Elements.make("appsrc", name);
        AppSrcSink feed = new AppSrcSink(source); // before the pipeline starts
        Element parse = Elements.make(parser, null);
        Element queue = Elements.make("queue", null);
        pipeline.addMany(source, parse, queue);
        if (!Element.linkMany(source, parse, queue, mux)) {
            throw new MediaException("Cannot link the " + name + " branch of recording " + id);
        }
        sources.add(source);
        return feed;
    }

    /** Ends the streams so the muxer writes its index, then closes the file. */
    void stop() {
        subscriptions.forEach(Subscription::close);
        subscriptions.clear();
        if (state.equals("RECORDING")) {
            sources.forEach(AppSrc::endOfStream);
            try {
                if (!finished.await(10, TimeUnit.SECONDS)) {
                    LOG.warn("Recording {} did not finish within 10 s; closing the file anyway", id);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            state = "STOPPED";
        }
        release();
        LOG.info("Recording {} stopped: {}", id, file);
    }

    private void release() {
        subscriptions.forEach(Subscription::close);
        pipeline.setState(State.NULL);
        pipeline.dispose();
    }

    Recording info() {
        return new Recording(id, video, audio, file, started, state, error);
    }
}
