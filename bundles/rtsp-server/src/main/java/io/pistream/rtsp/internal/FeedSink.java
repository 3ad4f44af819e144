package io.pistream.rtsp.internal;

import io.pistream.api.EncodedBuffer;
import io.pistream.api.EncodedStreamSink;
import io.pistream.gstreamer.AppSrcSink;
import io.pistream.gstreamer.jna.LibGstApp;

import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.Natives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pushes a hub subscription into an appsrc of a media and tells the media what happens to its stream. */
final class FeedSink implements EncodedStreamSink {

    private static final Logger LOG = LoggerFactory.getLogger(FeedSink.class);

    private final AppSrcSink delegate;
    private final boolean isVideo;
    private final MediaFeed feed;
    /** The appsrc refused a buffer (flushing or at its end): the hub drops this subscription. */
    volatile boolean dropped;

    FeedSink(AppSrc appSrc, boolean isVideo, MediaFeed feed) {
        this.delegate = new AppSrcSink(appSrc);
        this.isVideo = isVideo;
        this.feed = feed;
    }

    @Override
    public void onCaps(String caps) {
        delegate.onCaps(caps);
    }

    @Override
    public boolean onBuffer(EncodedBuffer buffer) {
        if (feed.stopped()) {
            return false;
        }
        SlowPlayerGuard guard = feed.slowPlayerGuard();
        if (isVideo && guard != null && guard.skip(buffer.size(), buffer.isKeyFrame(), System.nanoTime())) {
            return true;
        }
        if (!delegate.onBuffer(buffer)) {
            LOG.debug("{}: appsrc refused a buffer; the hub drops this subscription", feed.mount.spec.path());
            dropped = true;
            return false;
        }
        feed.mount.mediaBytes.addAndGet(buffer.size());
        if (isVideo) {
            feed.videoPushed(buffer.isKeyFrame());
        }
        return true;
    }

    @Override
    public void onEnd(String reason) {
        // Called on the hub's thread: only push EOS here, the rest runs on the server's control thread.
        LibGstApp.gst_app_src_end_of_stream(Natives.getRawPointer(delegate.appSrc()));
        feed.sourceEnded(isVideo, reason);
    }
}
