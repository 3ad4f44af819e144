package io.pistream.rtsp.internal;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.Pointer;

import io.pistream.api.Codecs;
import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.jna.LibGst;
import io.pistream.rtsp.internal.jna.NativeEvents;
import io.pistream.rtsp.internal.jna.RtspLib;

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
 *
 * <p>This class follows the media's life; {@link FeedSubscriptions} holds its hub subscriptions, {@link FeedSink}
 * pushes them into its appsrcs ({@link FeedAppSrcs}), {@link StallWatch} tells when a playing media stalls,
 * {@link MediaRef} reaches the media from other threads, and {@link LaunchElements} holds what a launch mount's media
 * needs.
 */
final class MediaFeed implements NativeEvents.MediaListener, NativeEvents.AppSrcListener {

    private static final Logger LOG = LoggerFactory.getLogger(MediaFeed.class);

    /**
     * A first PLAY this long after the media's first buffer asks for a key frame anyway: the held one is too old
     * for a player to start from what queued behind it.
     */
    private static final long HELD_KEY_FRAME_NANOS = TimeUnit.SECONDS.toNanos(2);

    final Mount mount;
    final Pointer media;
    private final MediaRef mediaRef;
    /** The mount's publication this media was built from. */
    final int generation;
    private final FeedSupervisor supervisor;

    // Hub mounts
    private final FeedAppSrcs appSrcs;
    private final FeedSubscriptions subscriptions = new FeedSubscriptions();
    private volatile long firstBufferNanos;
    /** When a video key frame last went into the appsrc; 0 before the first. */
    private volatile long lastKeyFrameNanos;
    /** PLAY requests answered for this media. */
    private final AtomicInteger plays = new AtomicInteger();

    // Launch mounts
    private final LaunchElements launch;

    private volatile boolean disposed;
    private volatile boolean unprepared;
    private volatile boolean ended;
    /** The current preparation failed (error posted): no new subscription until the media is unprepared. */
    private volatile boolean failed;
    private final StallWatch stall = new StallWatch();
    /** Set while the one TCP player of a media that is not shared plays. */
    private volatile SlowPlayerGuard slowPlayerGuard;

    private MediaFeed(FeedSupervisor supervisor, Mount mount, Pointer media, FeedAppSrcs appSrcs,
            Pointer launchBin, Pointer payloader) {
        this.supervisor = supervisor;
        this.mount = mount;
        this.media = media;
        this.generation = mount.generation;
        this.appSrcs = appSrcs;
        this.launch = new LaunchElements(launchBin, payloader, this::isDisposed);
        this.mediaRef = new MediaRef(media);
    }

    /** Finds the elements of a freshly constructed media. Runs in {@code media-configure}: no blocking. */
    static MediaFeed configure(FeedSupervisor supervisor, Mount mount, Pointer media) {
        Pointer bin = RtspLib.Server.gst_rtsp_media_get_element(media);
        if (mount.spec.isLaunch()) {
            Pointer pay0 = bin == null ? null : LibGst.gst_bin_get_by_name(bin, "pay0");
            return new MediaFeed(supervisor, mount, media, new FeedAppSrcs(null, null), bin, pay0);
        }
        try {
            MediaFeed feed = new MediaFeed(supervisor, mount, media, FeedAppSrcs.find(bin), null, null);
            feed.appSrcs.watch(feed);
            return feed;
        } finally {
            if (bin != null) {
                LibGst.gst_object_unref(bin);
            }
        }
    }

    boolean isHubFed() {
        return !mount.spec.isLaunch();
    }

    /** Asks the control thread to subscribe, unless a subscription exists or is being made. */
    void subscribeSoon() {
        if (!isHubFed() || disposed || unprepared || ended || failed) {
            return;
        }
        if (subscriptions.claim()) {
            supervisor.subscribe(this);
        }
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
            if (appSrcs.video == null) {
                fail("the media has no appsrc named " + MediaTemplates.VIDEO_SOURCE);
                return;
            }
            subscriptions.close(); // ones the hub dropped (pushed while the media was being unprepared)
            MountSpec spec = mount.spec;
            firstBufferNanos = 0;
            FeedSink newVideoSink = new FeedSink(appSrcs.video, true, this);
            FeedSink newAudioSink = appSrcs.audio == null ? null : new FeedSink(appSrcs.audio, false, this);
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
            if (appSrcs.audio != null) {
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
            subscriptions.set(videoSubscription, newVideoSink, audioSubscription, newAudioSink);
            if (disposed || unprepared || ended) {
                subscriptions.close(); // the media went away while we were subscribing
            }
        } finally {
            subscriptions.claimDone();
        }
    }

    /** Whether the video subscription delivered a buffer since it was made. */
    boolean flowing() {
        return firstBufferNanos != 0;
    }

    /**
     * A client plays this media (PLAY answered): from now on its streams must flow. Returns whether this client
     * gets a key frame without asking for one: the first player of a hub mount's media, prepared moments ago.
     * gst-rtsp-server holds the stream's first buffer (the subscription starts at a key frame) at the stream's block
     * until the first PLAY, so that player starts with it; asking again would only cost every viewer of the
     * encoder a key frame, and the next player to join would wait for the encoder's key-frame limit.
     */
    boolean playing(long nowNanos) {
        stall.playing(nowNanos);
        long firstBuffer = firstBufferNanos;
        return plays.getAndIncrement() == 0 && appSrcs.video != null && firstBuffer != 0
                && nowNanos - firstBuffer < HELD_KEY_FRAME_NANOS;
    }

    /**
     * Whether a video key frame went into the appsrc at {@code sinceNanos} or later, or at all when
     * {@code sinceNanos} is empty (hub mounts only: a launch mount's buffers are not seen).
     */
    boolean keyFrameSince(OptionalLong sinceNanos) {
        long last = lastKeyFrameNanos;
        return last != 0 && (sinceNanos.isEmpty() || last - sinceNanos.getAsLong() >= 0);
    }

    /** Its client paused: the streams may legitimately hold data. */
    void paused() {
        stall.paused();
    }

    /** See {@link FeedAppSrcs#pipelineState()}. */
    String pipelineState() {
        return appSrcs.pipelineState();
    }

    /** See {@link FeedAppSrcs#videoSourceState()}. */
    String videoSourceState() {
        return appSrcs.videoSourceState();
    }

    /** See {@link FeedAppSrcs#playIfSettledInPaused()}. */
    boolean playIfSettledInPaused() {
        return appSrcs.playIfSettledInPaused();
    }

    /** See {@link MediaRef#unblockStreams()}. */
    String unblockStreams() {
        return mediaRef.unblockStreams();
    }

    /** Buffers that have left the video appsrc since the media was configured. */
    long deliveredVideoBuffers() {
        return appSrcs.deliveredVideoBuffers();
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
        return appSrcs.queuedBuffers();
    }

    /** A client started playing this media: give it a key frame now rather than at the next natural one. */
    void requestKeyFrame() {
        Subscription current = subscriptions.video();
        if (current != null) {
            current.requestKeyFrame();
            return;
        }
        launch.requestKeyFrame();
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
        appSrcs.endOfStream();
        launch.endOfStream();
        subscriptions.close();
    }

    boolean isEnded() {
        return ended;
    }

    /** Makes the media fail, so that the waiting client gets an error reply at once instead of a timeout. */
    private void fail(String reason) {
        failed = true;
        appSrcs.postError(reason);
    }

    /** The media was unprepared (its last client left): stop feeding it. On a gst-rtsp-server thread. */
    @Override
    public void unprepared(Pointer unpreparedMedia) {
        unprepared = true;
        subscriptions.close();
        supervisor.feedUnprepared(this);
    }

    /** The media object is disposed: forget it. On a gst-rtsp-server thread. */
    @Override
    public void disposed(Pointer disposedMedia) {
        disposed = true;
        subscriptions.close();
        appSrcs.forget();
        launch.release();
        supervisor.feedGone(this);
    }

    boolean isDisposed() {
        return disposed;
    }

    boolean isUnprepared() {
        return unprepared;
    }

    // --- what its sinks tell it ---------------------------------------------------------------------------------

    /** Whether the media takes no more buffers: disposed, unprepared or ended. */
    boolean stopped() {
        return disposed || unprepared || ended;
    }

    SlowPlayerGuard slowPlayerGuard() {
        return slowPlayerGuard;
    }

    /** A video buffer went into the appsrc. On the hub's thread. */
    void videoPushed(boolean keyFrame) {
        long now = System.nanoTime();
        if (firstBufferNanos == 0) {
            firstBufferNanos = now;
        }
        if (keyFrame) {
            lastKeyFrameNanos = now;
        }
        if (stall.stalledAfterPush(now, this::queuedBuffers)) {
            supervisor.mediaStalled(this);
        }
    }

    /** A source of this media ended. On the hub's thread, after end of stream went into its appsrc. */
    void sourceEnded(boolean video, String reason) {
        if (video) {
            supervisor.videoEnded(this, reason);
        } else {
            supervisor.audioEnded(this, reason);
        }
    }

    /** For diagnostics: the feed's state and how much its video appsrc holds. */
    @Override
    public String toString() {
        return "media of " + mount.spec.path() + " (" + subscriptions.describe() + ", flowing " + flowing()
                + ", unprepared " + unprepared + ", ended " + ended + ", appsrc queued " + appSrcs.queuedBytes()
                + " bytes)";
    }
}
