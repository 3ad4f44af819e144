package io.pistream.webrtc.internal.session;

import java.util.function.Consumer;

import io.pistream.api.EncodedBuffer;
import io.pistream.api.EncodedStreamSink;
import io.pistream.gstreamer.AppSrcSink;

/**
 * Feeds one stream's {@link AppSrcSink} from one hub subscription at a time, and moves to another (a tier of the
 * quality ladder) only at that subscription's first key frame, so that the viewer's decoder never gets a delta frame
 * of a picture it has not seen. Until then the newcomer's buffers are dropped and the current one's flow on; from
 * then on the current one's are dropped until it is closed. After {@link #shut()} no push is in progress or will
 * start, so the pipeline behind it can be set to NULL and freed while the hub's streaming threads keep running.
 * Subscriptions call from their own streaming threads: every call takes the sink's lock.
 */
final class SwitchingSink {

    private final AppSrcSink target;
    private final Runnable onFirstBuffer;
    private boolean open = true;
    private boolean first = true;
    private Route active;
    private Route pending;

    /** What one subscription is given; {@code onSwitched} runs (on its streaming thread) when it becomes active. */
    final class Route implements EncodedStreamSink {
        private Consumer<Route> onSwitched;
        /** The subscription's last caps, given to the appsrc whenever this route becomes the active one. */
        private String caps;

        private Route(Consumer<Route> onSwitched) {
            this.onSwitched = onSwitched;
        }

        @Override
        public void onCaps(String caps) {
            synchronized (SwitchingSink.this) {
                if (!open) {
                    return;
                }
                this.caps = caps;
                if (this == active) {
                    target.onCaps(caps);
                }
            }
        }

        @Override
        public boolean onBuffer(EncodedBuffer buffer) {
            synchronized (SwitchingSink.this) {
                if (!open) {
                    return false;
                }
                if (this == pending && buffer.isKeyFrame()) {
                    active = this;
                    pending = null;
                    if (caps != null) {
                        target.onCaps(caps);
                    }
                    onSwitched.accept(this);
                }
                if (this != active) {
                    // a newcomer waiting for its key frame, or one that was replaced and is not closed yet
                    return true;
                }
                if (first) {
                    first = false;
                    onFirstBuffer.run();
                }
                return target.onBuffer(buffer);
            }
        }
    }

    SwitchingSink(AppSrcSink target, Runnable onFirstBuffer) {
        this.target = target;
        this.onFirstBuffer = onFirstBuffer;
    }

    /** The route of the first subscription: active from its first buffer. */
    synchronized Route first() {
        active = new Route(route -> {
        });
        return active;
    }

    /**
     * A route that takes over at its first key frame; a switch still waiting is given up (its subscription is the
     * caller's to close).
     */
    synchronized Route next(Consumer<Route> onSwitched) {
        pending = new Route(onSwitched);
        return pending;
    }

    /**
     * Makes a route that was replaced, and whose subscription was kept open, take over again at its next key frame
     * (a way back that needs no new subscription).
     */
    synchronized void resume(Route route, Consumer<Route> onSwitched) {
        if (route == active) {
            throw new IllegalStateException("the route is the active one");
        }
        route.onSwitched = onSwitched;
        pending = route;
    }

    /** Gives up a switch that is still waiting; false when the route is already active or was replaced. */
    synchronized boolean cancel(Route route) {
        if (route != pending) {
            return false;
        }
        pending = null;
        return true;
    }

    synchronized void shut() {
        open = false;
    }
}
