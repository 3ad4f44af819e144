package io.pistream.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.pistream.api.Subscription;
import io.pistream.gstreamer.internal.GstInit;

/** One media subscribes once at a time, again only when the hub dropped it, and closes what it holds once. */
class FeedSubscriptionsTest {

    private final FeedSubscriptions subscriptions = new FeedSubscriptions();

    private static final class CountingSubscription implements Subscription {
        int closed;

        @Override
        public String sourceId() {
            return "cam";
        }

        @Override
        public String codec() {
            return "H264";
        }

        @Override
        public void requestKeyFrame() {
        }

        @Override
        public void close() {
            closed++;
        }
    }

    @BeforeAll
    static void gstreamer() {
        GstInit.ensure();
    }

    private static FeedSink sink() {
        return new FeedSink((AppSrc) ElementFactory.make("appsrc", null), true, null);
    }

    @Test
    void oneSubscriberAtATimeAndNoneWhileSubscribed() {
        assertTrue(subscriptions.claim());
        assertFalse(subscriptions.claim());
        subscriptions.claimDone();
        assertTrue(subscriptions.claim());

        CountingSubscription video = new CountingSubscription();
        subscriptions.set(video, sink(), null, null);
        subscriptions.claimDone();
        assertFalse(subscriptions.claim());
        assertSame(video, subscriptions.video());
        assertEquals("subscribed true, dropped false", subscriptions.describe());
    }

    @Test
    void aDroppedSinkLetsTheMediaSubscribeAgain() {
        FeedSink audioSink = sink();
        subscriptions.set(new CountingSubscription(), sink(), new CountingSubscription(), audioSink);
        assertFalse(subscriptions.claim());

        audioSink.dropped = true;
        assertTrue(subscriptions.claim());
    }

    @Test
    void closeClosesEachSubscriptionOnce() {
        CountingSubscription video = new CountingSubscription();
        CountingSubscription audio = new CountingSubscription();
        subscriptions.set(video, sink(), audio, sink());

        subscriptions.close();
        subscriptions.close();

        assertEquals(1, video.closed);
        assertEquals(1, audio.closed);
        assertNull(subscriptions.video());
        assertEquals("subscribed false, dropped false", subscriptions.describe());
    }
}
