package io.pistream.rtsp.internal;

import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import io.pistream.api.Codecs;
import io.pistream.api.EncodedBuffer;
import io.pistream.api.EncodedStreamSink;
import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.AppSrcSink;
import io.pistream.gstreamer.jna.GstDirect;
import io.pistream.gstreamer.jna.LibGLib;
import io.pistream.gstreamer.jna.LibGObject;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.gstreamer.jna.LibGstApp;
import io.pistream.gstreamer.jna.Signals;
import io.pistream.rtsp.internal.jna.NativeEvents;
import io.pistream.rtsp.internal.jna.RtspLib;

import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.Natives;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media pipeline built by gst-rtsp-server for a mount (one per mount when shared, one per client otherwise).
 * For a hub mount it owns the hub subscriptions that feed its {@code appsrc}s; for a launch mount it only keeps
 * what is needed to ask for key frames and to end it.
 *
 * <p>The subscriptions are made when the media is configured, made again if the hub dropped them while the
 * media still wants data (an appsrc that was flushing refuses buffers), and closed for good when the media is
 * unprepared: a media is not reused after that.
 *
 * <p>Created on a gst-rtsp-server thread in {@code media-configure}; subscribing (which may wait for the hub)
 * happens on the server's control thread.
 */
final class MediaFeed implements NativeEvents.MediaListener, NativeEvents.AppSrcListener {

    private static final Logger LOG = LoggerFactory.getLogger(MediaFeed.class);
    /**
     * Buffers waiting in the video appsrc of a playing media beyond which its pipeline is taken as stalled (a
     * flowing media holds zero or one).
     */
    static final long STALLED_BUFFERS = 45;
    /** {@code GST_RESOURCE_ERROR_NOT_FOUND}. */
    private static final int RESOURCE_ERROR_NOT_FOUND = 3;

    final Mount mount;
    final Pointer media;
    /** A {@code GWeakRef} to the media, to reach it from other threads without racing its disposal. */
    private final Memory mediaRef = new Memory(Native.POINTER_SIZE);
    /** The mount's publication this media was built from. */
    final int generation;
    private final FeedSupervisor supervisor;

    // Hub mounts. The AppSrc wrappers keep the elements alive for as long as the hub may still push into them:
    // they are released by the garbage collector once the subscriptions are gone, never explicitly.
    private final AppSrc videoSrc;
    private final AppSrc audioSrc;
    private final Object subscriptionLock = new Object();
    private Subscription video; // guarded by subscriptionLock
    private Subscription audio; // guarded by subscriptionLock
    private FeedSink videoSink; // guarded by subscriptionLock
    private FeedSink audioSink; // guarded by subscriptionLock
    private boolean subscribing; // guarded by subscriptionLock
    private volatile long firstBufferNanos;

    // Launch mounts: a reference to the media's bin and its first payloader, released when the media is disposed.
    private Pointer launchBin;
    private Pointer payloader;

    private volatile boolean disposed;
    private volatile boolean unprepared;
    private volatile boolean ended;
    /** The current preparation failed (error posted): no new subscription until the media is unprepared. */
    private volatile boolean failed;
    /** When a client started playing, or 0 while none plays (the streams are blocked until PLAY). */
    private volatile long playingSinceNanos;
    /** Set once a stall was reported, so that it is handled once. */
    private volatile boolean stallReported;
    /** Buffers that left the video appsrc for the payloader: what tells a slow media from a stalled one. */
    private final AtomicLong videoDelivered = new AtomicLong();
    /** Set while the one TCP player of a media that is not shared plays. */
    private volatile SlowPlayerGuard slowPlayerGuard;
    private Signals.Connection videoDeliveries;

    private MediaFeed(FeedSupervisor supervisor, Mount mount, Pointer media, AppSrc videoSrc, AppSrc audioSrc,
            Pointer launchBin, Pointer payloader) {
        this.supervisor = supervisor;
        this.mount = mount;
        this.media = media;
        this.generation = mount.generation;
        this.videoSrc = videoSrc;
        this.audioSrc = audioSrc;
        this.launchBin = launchBin;
        this.payloader = payloader;
        mediaRef.clear();
        LibGObject.g_weak_ref_init(mediaRef, media);
    }

    /** Finds the elements of a freshly constructed media. Runs in {@code media-configure}: no blocking. */
    static MediaFeed configure(FeedSupervisor supervisor, Mount mount, Pointer media) {
        Pointer bin = RtspLib.Server.gst_rtsp_media_get_element(media);
        if (mount.spec.isLaunch()) {
            Pointer pay0 = bin == null ? null : LibGst.gst_bin_get_by_name(bin, "pay0");
            return new MediaFeed(supervisor, mount, media, null, null, bin, pay0);
        }
        try {
            AppSrc video = appSrc(bin, MediaTemplates.VIDEO_SOURCE);
            AppSrc audio = appSrc(bin, MediaTemplates.AUDIO_SOURCE); // present when the publication had audio
            MediaFeed feed = new MediaFeed(supervisor, mount, media, video, audio, null, null);
            if (video != null) {
                feed.videoDeliveries = Signals.probe(Natives.getRawPointer(video.getStaticPad("src")),
                        Signals.PROBE_BUFFER, (pad, info) -> {
                            feed.videoDelivered.incrementAndGet();
                            return Signals.PROBE_OK;
                        });
            }
            for (AppSrc appSrc : new AppSrc[] {video, audio}) {
                if (appSrc != null) {
                    NativeEvents.watchAppSrc(Natives.getRawPointer(appSrc), feed);
                }
            }
            return feed;
        } finally {
            if (bin != null) {
                LibGst.gst_object_unref(bin);
            }
        }
    }

    private static AppSrc appSrc(Pointer bin, String name) {
        Pointer element = bin == null ? null : LibGst.gst_bin_get_by_name(bin, name);
        if (element == null) {
            return null;
        }
        return Natives.callerOwnsReturn(element, AppSrc.class);
    }

    boolean isHubFed() {
        return !mount.spec.isLaunch();
    }

    /** Asks the control thread to subscribe, unless a subscription exists or is being made. */
    void subscribeSoon() {
        if (!isHubFed() || disposed || unprepared || ended || failed) {
            return;
        }
        synchronized (subscriptionLock) {
            if (subscribing || subscribed()) {
                return;
            }
            subscribing = true;
        }
        supervisor.subscribe(this);
    }

    /** Whether the subscriptions exist and the hub still delivers to them. With the lock held. */
    private boolean subscribed() {
        return video != null && !videoSink.dropped && (audioSink == null || !audioSink.dropped);
    }

    /** An appsrc wants data: after a re-prepare, this is what brings the subscription back. */
    @Override
    public void needData(Pointer appsrc) {
        subscribeSoon();
    }

    /** Subscribes the appsrcs to the hub. Runs on the control thread; may wait for the hub to start a capture. */
    void subscribe(MediaHub hub) {
        try {
            if (disposed || unprepared || ended) {
                return;
            }
            if (videoSrc == null) {
                fail("the media has no appsrc named " + MediaTemplates.VIDEO_SOURCE);
                return;
            }
            closeSubscriptions(); // ones the hub dropped (pushed while the media was being unprepared)
            MountSpec spec = mount.spec;
            firstBufferNanos = 0;
            FeedSink newVideoSink = new FeedSink(videoSrc, true);
            FeedSink newAudioSink = audioSrc == null ? null : new FeedSink(audioSrc, false);
            Subscription videoSubscription;
            try {
                videoSubscription = hub.subscribe(spec.video(), Codecs.H264, newVideoSink);
            } catch (MediaException | RuntimeException e) {
                LOG.warn("RTSP mount {}: cannot feed a client from video source '{}': {}", spec.path(),
                        spec.video(), e.getMessage());
                fail("video source '" + spec.video() + "': " + e.getMessage());
                return;
            }
            Subscription audioSubscription = null;
            if (audioSrc != null) {
                try {
                    audioSubscription = hub.subscribe(spec.audio(), spec.audioCodec(), newAudioSink);
                } catch (MediaException | RuntimeException e) {
                    LOG.warn("RTSP mount {}: audio source '{}' cannot be served ({}); the mount continues without "
                            + "audio", spec.path(), spec.audio(), e.getMessage());
                    videoSubscription.close();
                    fail("audio source '" + spec.audio() + "': " + e.getMessage());
                    supervisor.audioUnavailable(this, e.getMessage());
                    return;
                }
            }
            LOG.debug("{}: subscribed to the hub", spec.path());
            synchronized (subscriptionLock) {
                video = videoSubscription;
                audio = audioSubscription;
                videoSink = newVideoSink;
                audioSink = newAudioSink;
            }
            if (disposed || unprepared || ended) {
                closeSubscriptions(); // the media went away while we were subscribing
            }
        } finally {
            synchronized (subscriptionLock) {
                subscribing = false;
            }
        }
    }

    /** Whether the video subscription delivered a buffer since it was made. */
    boolean flowing() {
        return firstBufferNanos != 0;
    }

    /** A client plays this media (PLAY answered): from now on its streams must flow. */
    void playing() {
        if (playingSinceNanos == 0) {
            playingSinceNanos = System.nanoTime();
        }
    }

    /** Its client paused: the streams may legitimately hold data. */
    void paused() {
        playingSinceNanos = 0;
        stallReported = false;
    }

    /**
     * Watchdog of a playing hub media: gst-rtsp-server blocks the streams while it prepares a media and unblocks
     * them for PLAY; a stream left blocked holds the media forever. Unblocks the streams of this media.
     *
     * @return a description of what was blocked
     */
    String unblockStreams() {
        Pointer strong = LibGObject.g_weak_ref_get(mediaRef);
        if (strong == null) {
            return "media already gone";
        }
        try {
            java.util.List<String> report = new java.util.ArrayList<>();
            int streams = RtspLib.Server.gst_rtsp_media_n_streams(strong);
            for (int i = 0; i < streams; i++) {
                Pointer stream = RtspLib.Server.gst_rtsp_media_get_stream(strong, i);
                if (stream != null) {
                    report.add("stream " + i + (RtspLib.Server.gst_rtsp_stream_is_blocking(stream)
                            ? " was blocked" : " was not blocked"));
                    RtspLib.Server.gst_rtsp_stream_set_blocked(stream, false);
                }
            }
            return String.join(", ", report);
        } finally {
            LibGObject.g_object_unref(strong);
        }
    }

    /** Buffers that have left the video appsrc since the media was configured. */
    long deliveredVideoBuffers() {
        return videoDelivered.get();
    }

    /**
     * The player of this media (not shared) plays over TCP on the socket {@code fd}: from now on, video it cannot
     * take in time is skipped up to a key frame rather than queued ({@link SlowPlayerGuard}).
     */
    void guardSlowPlayer(String player, int fd) {
        if (slowPlayerGuard == null) {
            slowPlayerGuard = new SlowPlayerGuard(player, () -> RtspLib.Libc.unsentBytes(fd), this::requestKeyFrame);
        }
    }

    /** Video frames skipped for a player that could not keep up. */
    long skippedFrames() {
        SlowPlayerGuard guard = slowPlayerGuard;
        return guard == null ? 0 : guard.skippedFrames();
    }

    /** Buffers waiting in the video appsrc. */
    long queuedBuffers() {
        return videoSrc == null ? 0 : LibGstApp.gst_app_src_get_current_level_buffers(Natives.getRawPointer(videoSrc));
    }

    /** A client started playing this media: give it a key frame now rather than at the next natural one. */
    void requestKeyFrame() {
        Subscription current;
        synchronized (subscriptionLock) {
            current = video;
        }
        if (current != null) {
            current.requestKeyFrame();
            return;
        }
        synchronized (this) {
            if (payloader != null && !disposed) {
                GstDirect.requestKeyFrame(payloader);
            }
        }
    }

    /**
     * Ends the stream for its clients: end of stream flows through the payloaders, the RTP session sends BYE and
     * players stop. The sessions themselves are ended by the supervisor shortly after.
     */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        if (videoSrc != null) {
            LibGstApp.gst_app_src_end_of_stream(Natives.getRawPointer(videoSrc));
        }
        if (audioSrc != null) {
            LibGstApp.gst_app_src_end_of_stream(Natives.getRawPointer(audioSrc));
        }
        synchronized (this) {
            if (launchBin != null && !disposed) {
                LibGst.gst_element_send_event(launchBin, LibGst.gst_event_new_eos());
            }
        }
        closeSubscriptions();
    }

    boolean isEnded() {
        return ended;
    }

    /** Makes the media fail, so that the waiting client gets an error reply at once instead of a timeout. */
    private void fail(String reason) {
        failed = true;
        AppSrc target = videoSrc != null ? videoSrc : audioSrc;
        if (target == null) {
            return;
        }
        Pointer element = Natives.getRawPointer(target);
        Pointer error = LibGLib.g_error_new_literal(LibGst.gst_resource_error_quark(),
                RESOURCE_ERROR_NOT_FOUND, "Stream unavailable: " + reason);
        try {
            LibGst.gst_element_post_message(element, LibGst.gst_message_new_error(element, error, reason));
        } finally {
            LibGLib.g_error_free(error);
        }
    }

    /** The media was unprepared (its last client left): stop feeding it. On a gst-rtsp-server thread. */
    @Override
    public void unprepared(Pointer unpreparedMedia) {
        unprepared = true;
        closeSubscriptions();
        supervisor.feedUnprepared(this);
    }

    /** The media object is disposed: forget it. On a gst-rtsp-server thread. */
    @Override
    public void disposed(Pointer disposedMedia) {
        disposed = true;
        closeSubscriptions();
        if (videoDeliveries != null) {
            videoDeliveries.close();
        }
        for (AppSrc appSrc : new AppSrc[] {videoSrc, audioSrc}) {
            if (appSrc != null) {
                NativeEvents.forgetAppSrc(Natives.getRawPointer(appSrc));
            }
        }
        synchronized (this) {
            if (payloader != null) {
                LibGst.gst_object_unref(payloader);
                payloader = null;
            }
            if (launchBin != null) {
                LibGst.gst_object_unref(launchBin);
                launchBin = null;
            }
        }
        supervisor.feedGone(this);
    }

    private void closeSubscriptions() {
        Subscription videoSubscription;
        Subscription audioSubscription;
        synchronized (subscriptionLock) {
            videoSubscription = video;
            audioSubscription = audio;
            video = null;
            audio = null;
            videoSink = null;
            audioSink = null;
        }
        if (videoSubscription != null) {
            videoSubscription.close(); // non-blocking: the hub unsubscribes on its own thread
        }
        if (audioSubscription != null) {
            audioSubscription.close();
        }
    }

    boolean isDisposed() {
        return disposed;
    }

    boolean isUnprepared() {
        return unprepared;
    }

    /** For diagnostics: the feed's state and how much its video appsrc holds. */
    @Override
    public String toString() {
        String queued = videoSrc == null ? "-" : String.valueOf(videoSrc.get("current-level-bytes"));
        synchronized (subscriptionLock) {
            return "media of " + mount.spec.path() + " (subscribed " + (video != null) + ", dropped "
                    + (videoSink != null && videoSink.dropped) + ", flowing " + flowing() + ", unprepared "
                    + unprepared + ", ended " + ended + ", appsrc queued " + queued + " bytes)";
        }
    }

    /** Pushes a subscription into an appsrc of this media and reacts to the source ending. */
    private final class FeedSink implements EncodedStreamSink {
        private final AppSrcSink delegate;
        private final boolean isVideo;
        /** The appsrc refused a buffer (flushing or at its end): the hub drops this subscription. */
        volatile boolean dropped;

        FeedSink(AppSrc appSrc, boolean isVideo) {
            this.delegate = new AppSrcSink(appSrc);
            this.isVideo = isVideo;
        }

        @Override
        public void onCaps(String caps) {
            delegate.onCaps(caps);
        }

        @Override
        public boolean onBuffer(EncodedBuffer buffer) {
            if (disposed || unprepared || ended) {
                return false;
            }
            SlowPlayerGuard guard = slowPlayerGuard;
            if (isVideo && guard != null && guard.skip(buffer.size(), buffer.isKeyFrame(), System.nanoTime())) {
                return true;
            }
            if (!delegate.onBuffer(buffer)) {
                LOG.debug("{}: appsrc refused a buffer; the hub drops this subscription", mount.spec.path());
                dropped = true;
                return false;
            }
            mount.mediaBytes.addAndGet(buffer.size());
            if (isVideo) {
                if (firstBufferNanos == 0) {
                    firstBufferNanos = System.nanoTime();
                }
                long playingSince = playingSinceNanos;
                if (playingSince != 0 && !stallReported && System.nanoTime() - playingSince > 1_000_000_000L
                        && LibGstApp.gst_app_src_get_current_level_buffers(
                                Natives.getRawPointer(delegate.appSrc())) > STALLED_BUFFERS) {
                    stallReported = true;
                    supervisor.mediaStalled(MediaFeed.this);
                }
            }
            return true;
        }

        @Override
        public void onEnd(String reason) {
            // Called on the hub's thread: only push EOS here, the rest runs on the server's control thread.
            LibGstApp.gst_app_src_end_of_stream(Natives.getRawPointer(delegate.appSrc()));
            if (isVideo) {
                supervisor.videoEnded(MediaFeed.this, reason);
            } else {
                supervisor.audioEnded(MediaFeed.this, reason);
            }
        }
    }
}
