package io.pistream.rtsp.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Pointer;

import io.pistream.api.MediaHub;
import io.pistream.rtsp.internal.jna.NativeEvents;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media pipelines gst-rtsp-server builds for the mounts, from {@code media-configure} to disposal: their hub
 * subscriptions, the key frames a joining player needs, the watchdog of a stalled media, and their ending when
 * their stream or mount goes away (end of stream first, then, after a grace period, sessions and connections).
 */
final class FeedSupervisor {

    private static final Logger LOG = LoggerFactory.getLogger(FeedSupervisor.class);

    /** Time given to players to receive the end of stream before their sessions are ended server-side. */
    static final long END_GRACE_MILLIS = 1000;
    /** When to ask again for a key frame that did not come (the hub drops requests closer than 200 ms). */
    static final long[] KEY_FRAME_RETRY_MILLIS = {250, 1000};
    /** How long an unblocked media gets to flow again before it is ended. */
    static final long STALL_RECHECK_MILLIS = 3000;

    private final Map<Pointer, MediaFeed> feeds = new ConcurrentHashMap<>();
    private final MediaHub hub;
    private final ControlThread control;
    private Mounts mounts;
    private Players players;

    FeedSupervisor(MediaHub hub, ControlThread control) {
        this.hub = hub;
        this.control = control;
    }

    /** Completes the wiring; once, before the server starts. */
    void bind(Mounts mountTable, Players playerTable) {
        this.mounts = mountTable;
        this.players = playerTable;
    }

    /** {@code media-configure}, on a gst-rtsp-server thread: record the media and subscribe off this thread. */
    void configured(Mount mount, Pointer media, boolean serving) {
        MediaFeed feed = MediaFeed.configure(this, mount, media);
        feeds.put(media, feed);
        mount.feeds.put(media, feed);
        NativeEvents.watchMedia(media, feed);
        if (!serving || mount.removed) {
            feed.end();
            return;
        }
        LOG.debug("RTSP mount {}: new media pipeline", mount.spec.path());
        feed.subscribeSoon();
    }

    /** Subscribes a media to the hub on the control thread (called by the media, at most once at a time). */
    void subscribe(MediaFeed feed) {
        control.execute(() -> {
            feed.subscribe(hub);
            // The hub forces a key frame for a new subscriber, but drops a request that comes within 200 ms of
            // the previous one; ask again if nothing came.
            for (long delay : KEY_FRAME_RETRY_MILLIS) {
                control.schedule(() -> {
                    if (!feed.flowing() && !feed.isEnded() && !feed.isDisposed()) {
                        feed.requestKeyFrame();
                    }
                }, delay);
            }
        });
    }

    /**
     * A player started playing this media (PLAY answered), on a client thread. It needs a key frame now rather
     * than at the next natural one, unless the media holds one for it ({@link MediaFeed#playing(long)}). One
     * forced key frame per player: the encoder allows one every 200 ms, so a needless one delays the next player.
     */
    void startedPlaying(MediaFeed feed) {
        long playNanos = System.nanoTime();
        boolean keyFrameHeld = feed.playing(playNanos);
        if (!keyFrameHeld) {
            feed.requestKeyFrame();
        }
        // Once more if none came: a launch mount's encoder may have made it before this player's transport was
        // linked (its buffers are not seen here), and a hub mount's may have failed.
        control.schedule(() -> {
            if (!feed.isDisposed() && !feed.isEnded() && !feed.keyFrameSince(
                    keyFrameHeld ? OptionalLong.empty() : OptionalLong.of(playNanos))) {
                feed.requestKeyFrame();
            }
        }, KEY_FRAME_RETRY_MILLIS[0]);
    }

    void feedUnprepared(MediaFeed feed) {
        LOG.debug("RTSP mount {}: media pipeline unprepared", feed.mount.spec.path());
    }

    void feedGone(MediaFeed feed) {
        feeds.remove(feed.media, feed);
        feed.mount.feeds.remove(feed.media, feed);
        LOG.debug("RTSP mount {}: media pipeline released", feed.mount.spec.path());
    }

    /** The hub ended the video of a media (its source went away): end the media, publish afresh if possible. */
    void videoEnded(MediaFeed feed, String reason) {
        control.execute(() -> endFeeds(mounts.streamEnded(feed, reason), reason));
    }

    /** The hub ended the audio of a media: video continues; new clients get what is still available. */
    void audioEnded(MediaFeed feed, String reason) {
        LOG.info("RTSP mount {}: audio ended ({})", feed.mount.spec.path(), reason);
    }

    /** A media could not subscribe to its audio: publish the mount without audio until sources change. */
    void audioUnavailable(MediaFeed feed, String reason) {
        mounts.audioUnavailable(feed.mount, reason);
    }

    /**
     * A playing hub media does not take its buffers any more (see {@link MediaFeed#unblockStreams()}): unblock its
     * streams; if that does not help, end it so that its players reconnect rather than wait forever.
     */
    void mediaStalled(MediaFeed feed) {
        control.execute(() -> {
            long queued = feed.queuedBuffers();
            String state = feed.pipelineState() + ", " + feed.videoSourceState();
            String streams = feed.unblockStreams();
            boolean toldToPlay = feed.playIfSettledInPaused();
            long delivered = feed.deliveredVideoBuffers();
            LOG.warn("RTSP mount {}: a playing media pipeline holds {} buffers (pipeline {}, {}); streams unblocked{}",
                    feed.mount.spec.path(), queued, state, streams, toldToPlay ? ", pipeline set to PLAYING" : "");
            // Its players missed frames while it was stuck: without a key frame they would show nothing (or
            // garbage) until the encoder's next natural one.
            feed.requestKeyFrame();
            control.schedule(() -> {
                if (feed.isEnded() || feed.isDisposed() || feed.isUnprepared()) {
                    return;
                }
                // Stalled is nothing leaving the appsrc at all. A media that still takes buffers, however slowly
                // (a player on a loaded machine or a slow link), keeps its players.
                long stillQueued = feed.queuedBuffers();
                if (feed.deliveredVideoBuffers() == delivered && stillQueued > 0) {
                    LOG.warn("RTSP mount {}: media pipeline still stalled ({} buffers, none taken in {} ms, pipeline {});"
                            + " its players are disconnected so that they reconnect", feed.mount.spec.path(),
                            stillQueued, STALL_RECHECK_MILLIS, feed.pipelineState() + ", " + feed.videoSourceState());
                    endFeeds(List.of(feed), "media pipeline stalled");
                } else {
                    LOG.info("RTSP mount {}: media pipeline flows again ({} buffers waiting)",
                            feed.mount.spec.path(), stillQueued);
                }
            }, STALL_RECHECK_MILLIS);
        });
    }

    /** Ends medias: end of stream now, then, after a grace period, their sessions and their clients' connections. */
    void endFeeds(List<MediaFeed> toEnd, String reason) {
        if (toEnd.isEmpty()) {
            return;
        }
        for (MediaFeed feed : toEnd) {
            feed.end();
        }
        Set<MediaFeed> ending = new HashSet<>(toEnd);
        control.schedule(() -> players.endSessions(ending, reason), END_GRACE_MILLIS);
    }

    /** Ends every media now (the server stops: no grace period). */
    void endAll() {
        for (MediaFeed feed : new ArrayList<>(feeds.values())) {
            feed.end();
        }
    }

    /** The feed of a {@code GstRTSPMedia*}, or null when that media is not (or no longer) known. */
    MediaFeed feedOf(Pointer media) {
        return feeds.get(media);
    }

    /** The media pipelines of a path (for tests and diagnostics). */
    List<MediaFeed> feeds(String path) {
        return feeds.values().stream().filter(feed -> feed.mount.spec.path().equals(path)).toList();
    }

    /** Media pipelines alive. */
    int live() {
        return feeds.size();
    }
}
