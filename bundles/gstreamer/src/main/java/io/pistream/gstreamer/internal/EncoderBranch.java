package io.pistream.gstreamer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Pointer;

import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.StreamStatus;
import io.pistream.api.Tier;
import io.pistream.gstreamer.Elements;
import io.pistream.gstreamer.jna.GstDirect;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.LibGstApp;
import io.pistream.gstreamer.jna.NativeBuffer;
import io.pistream.gstreamer.jna.Signals;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.PadProbeReturn;
import org.freedesktop.gstreamer.PadProbeType;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.glib.Natives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One codec of a source at one tier: {@code queue ! encoder ! appsink} for the top, {@code queue ! videoscale !
 * capsfilter ! encoder ! appsink} below it ({@link TierScaler}), hung off the source's raw tee. Every encoded buffer
 * is handed by reference to each subscriber; a new subscriber starts at a key frame.
 */
final class EncoderBranch {

    private static final Logger LOG = LoggerFactory.getLogger(EncoderBranch.class);
    private static final long KEY_FRAME_REQUEST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long BITRATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);

    final String sourceId;
    final String codec;
    final Tier tier;
    /** For logs: the codec, with its tier below the top. */
    private final Rendition rendition;
    final Encoder encoder;
    final List<HubSubscription> subscribers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService control;

    // Per running pipeline; set and cleared on the control thread.
    private Bin bin;
    private Pad teePad;
    private Pointer appsink;
    private Signals.Connection newSamples;
    private long lastKeyFrameRequest;
    private boolean keyFrameRequestPending;

    // Written by the streaming thread only.
    private Pointer currentCaps;
    private volatile String capsText;
    private volatile long buffers;
    private volatile long keyFrames;
    private volatile long bytes;
    private volatile long bitrate;
    private long windowStart = System.nanoTime();
    private long windowBytes;

    EncoderBranch(String sourceId, Rendition rendition, Encoder encoder, ScheduledExecutorService control) {
        this.sourceId = sourceId;
        this.codec = rendition.codec();
        this.tier = rendition.tier();
        this.rendition = rendition;
        this.encoder = encoder;
        this.control = control;
    }

    /** Builds the branch into {@code pipeline} after the tee; when the pipeline already runs it joins live. */
    void attach(Pipeline pipeline, Element tee, String rawCaps, boolean live) throws MediaException {
        Element queue = Elements.make("queue", null);
        // A slow encoder drops raw frames rather than stalling the capture and the other codecs.
        queue.set("max-size-buffers", 3);
        queue.set("max-size-bytes", 0);
        queue.set("max-size-time", 0L);
        queue.setAsString("leaky", "downstream");
        List<Element> encoding = TierScaler.elements(tier, encoder, rawCaps);
        Element sink = Elements.make("appsink", null);
        sink.set("sync", false);
        sink.set("async", false);
        sink.set("max-buffers", 30);
        sink.set("drop", true);
        sink.set("emit-signals", true);
        List<Element> chain = new ArrayList<>();
        chain.add(queue);
        chain.addAll(encoding);
        chain.add(sink);
        bin = Elements.chain(rendition.binName(), chain.toArray(Element[]::new));
        appsink = Natives.getRawPointer(sink);
        newSamples = Signals.connect(appsink, "new-sample", this::onNewSample);
        for (HubSubscription subscription : subscribers) {
            subscription.awaitingKeyFrame = true;
        }
        pipeline.add(bin);
        if (live) {
            // A branch joining a running tee must be PLAYING before it is linked, or the tee can stall.
            bin.syncStateWithParent();
        }
        teePad = tee.getRequestPad("src_%u");
        teePad.link(bin.getStaticPad("sink"));
    }

    /** Removes the branch from a running pipeline without disturbing the other branches. */
    void detachLive(Pipeline pipeline, Element tee) {
        if (bin == null) {
            return;
        }
        Pad branchSink = bin.getStaticPad("sink");
        CountDownLatch unlinked = new CountDownLatch(1);
        teePad.addProbe(PadProbeType.IDLE, (pad, info) -> {
            pad.unlink(branchSink);
            unlinked.countDown();
            return PadProbeReturn.REMOVE;
        });
        try {
            if (!unlinked.await(2, TimeUnit.SECONDS)) {
                LOG.warn("Branch {}/{} did not go idle; unlinking anyway", sourceId, rendition);
                teePad.unlink(branchSink);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bin.setState(State.NULL);
        pipeline.remove(bin);
        tee.releaseRequestPad(teePad);
        forgetPipeline();
    }

    /** Drops the references into a pipeline that has been set to NULL. */
    void forgetPipeline() {
        bin = null;
        teePad = null;
        appsink = null;
        if (newSamples != null) {
            newSamples.close();
            newSamples = null;
        }
        if (currentCaps != null) {
            LibGst.gst_mini_object_unref(currentCaps);
            currentCaps = null;
        }
    }

    /**
     * Asks this branch's encoder (and no other tier's) for a key frame, at most every 200 ms since the encoder is
     * shared; a request inside that window is delayed to its end, never dropped, so every new subscriber gets its
     * key frame promptly.
     */
    void requestKeyFrame() {
        if (appsink == null) {
            return;
        }
        long wait = KEY_FRAME_REQUEST_INTERVAL_NANOS - (System.nanoTime() - lastKeyFrameRequest);
        if (wait <= 0) {
            lastKeyFrameRequest = System.nanoTime();
            GstDirect.requestKeyFrame(appsink);
        } else if (!keyFrameRequestPending) {
            keyFrameRequestPending = true;
            control.schedule(() -> {
                keyFrameRequestPending = false;
                requestKeyFrame();
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    private int onNewSample(Pointer sink) {
        Pointer sample = LibGstApp.gst_app_sink_try_pull_sample(sink, 0);
        if (sample == null) {
            return GstDirect.FLOW_OK;
        }
        try {
            Pointer caps = LibGst.gst_sample_get_caps(sample);
            if (caps != null && !caps.equals(currentCaps)) {
                updateCaps(caps);
            }
            Pointer buffer = LibGst.gst_sample_get_buffer(sample);
            if (buffer != null) {
                deliver(buffer);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Delivering {}/{} failed", sourceId, rendition, e);
        } finally {
            LibGst.gst_mini_object_unref(sample);
        }
        return GstDirect.FLOW_OK;
    }

    private void updateCaps(Pointer caps) {
        boolean same = currentCaps != null && LibGst.gst_caps_is_equal(currentCaps, caps);
        if (currentCaps != null) {
            LibGst.gst_mini_object_unref(currentCaps);
        }
        currentCaps = LibGst.gst_mini_object_ref(caps);
        if (!same) {
            capsText = GstDirect.capsToString(caps);
            LOG.debug("{}/{} caps: {}", sourceId, rendition, capsText);
        }
    }

    private void deliver(Pointer buffer) {
        boolean keyFrame = GstDirect.isKeyFrame(buffer);
        String caps = capsText;
        NativeBuffer.Lent lent = NativeBuffer.lend(buffer);
        try {
            // counted before it is handed out: no subscriber is ever ahead of what the status says was encoded
            countBuffer(lent.size(), keyFrame); // one native call, the consumers then get the size for free
            deliver(lent, keyFrame, caps);
        } finally {
            lent.endLoan();
        }
    }

    private void deliver(NativeBuffer.Lent buffer, boolean keyFrame, String caps) {
        for (HubSubscription subscription : subscribers) {
            if (subscription.closed || subscription.awaitingKeyFrame && !keyFrame) {
                continue;
            }
            subscription.awaitingKeyFrame = false;
            try {
                if (caps != null && !caps.equals(subscription.announcedCaps)) {
                    subscription.announcedCaps = caps;
                    subscription.sink.onCaps(caps);
                }
                if (!subscription.sink.onBuffer(buffer)) {
                    LOG.info("{} ended by its consumer", subscription);
                    control.execute(subscription::close);
                }
            } catch (RuntimeException e) {
                LOG.warn("{} failed and is closed: {}", subscription, e.toString());
                control.execute(subscription::close);
            }
        }
    }

    private void countBuffer(long size, boolean keyFrame) {
        buffers++;
        bytes += size;
        if (keyFrame) {
            keyFrames++;
        }
        windowBytes += size;
        long now = System.nanoTime();
        long elapsed = now - windowStart;
        if (elapsed >= BITRATE_WINDOW_NANOS) {
            bitrate = windowBytes * 8 * 1_000_000_000L / elapsed;
            windowBytes = 0;
            windowStart = now;
        }
    }

    long buffers() {
        return buffers;
    }

    long keyFrames() {
        return keyFrames;
    }

    long bytes() {
        return bytes;
    }

    long bitrate() {
        return bitrate;
    }

    String caps() {
        return capsText;
    }

    /** This branch in a stream's status: the size is the encoded one once caps came, else the tier's. */
    StreamStatus.EncoderStatus status() {
        String caps = capsText;
        int width = caps == null ? 0 : Ladder.size(caps, "width");
        int height = caps == null ? 0 : Ladder.size(caps, "height");
        return new StreamStatus.EncoderStatus(codec, encoder.description(), subscribers.size(), buffers, bitrate,
                caps, keyFrames, bytes, tier.index(), width == 0 ? tier.width() : width,
                height == 0 ? tier.height() : height, tier.bitrateKbps());
    }
}
