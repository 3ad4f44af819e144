package io.pistream.rtsp.internal;

import io.pistream.api.Subscription;

/**
 * The hub subscriptions of one media and the sinks they push into, changed together under one lock, and whether a
 * subscription is being made: so that a media has at most one of each, however many threads ask for data.
 */
final class FeedSubscriptions {

    private Subscription video; // guarded by this
    private Subscription audio; // guarded by this
    private FeedSink videoSink; // guarded by this
    private FeedSink audioSink; // guarded by this
    private boolean subscribing; // guarded by this

    /** @return whether the caller is now the one to subscribe: none exists that still delivers, none is being made */
    synchronized boolean claim() {
        if (subscribing || subscribed()) {
            return false;
        }
        subscribing = true;
        return true;
    }

    /** The subscribing that {@link #claim} started is over, whatever its outcome. */
    synchronized void claimDone() {
        subscribing = false;
    }

    synchronized void set(Subscription newVideo, FeedSink newVideoSink, Subscription newAudio, FeedSink newAudioSink) {
        video = newVideo;
        videoSink = newVideoSink;
        audio = newAudio;
        audioSink = newAudioSink;
    }

    /** The video subscription, or {@code null}. */
    synchronized Subscription video() {
        return video;
    }

    /** Forgets the subscriptions and closes them (non-blocking: the hub unsubscribes on its own thread). */
    void close() {
        Subscription videoSubscription;
        Subscription audioSubscription;
        synchronized (this) {
            videoSubscription = video;
            audioSubscription = audio;
            video = null;
            audio = null;
            videoSink = null;
            audioSink = null;
        }
        if (videoSubscription != null) {
            videoSubscription.close();
        }
        if (audioSubscription != null) {
            audioSubscription.close();
        }
    }

    /** {@code subscribed <bool>, dropped <bool>}, for diagnostics. */
    synchronized String describe() {
        return "subscribed " + (video != null) + ", dropped " + (videoSink != null && videoSink.dropped);
    }

    /** Whether the subscriptions exist and the hub still delivers to them. */
    private boolean subscribed() {
        return video != null && !videoSink.dropped && (audioSink == null || !audioSink.dropped);
    }
}
