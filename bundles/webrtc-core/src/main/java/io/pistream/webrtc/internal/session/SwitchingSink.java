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

    /** RTP's fixed header and FU-A's two bytes: what each packet carries beside the frame's bytes. */
    private static final int PACKET_OVERHEAD = 14;
    /** How long a route must have been active for its bitrate to count. */
    private static final long MEASURED_NANOS = 2_000_000_000L;

    private final AppSrcSink target;
    private final Runnable onFirstBuffer;
    private final int packetBytes;
    private boolean open = true;
    private boolean first = true;
    private Route active;
    private Route pending;

    /** What one subscription is given; {@code onSwitched} runs (on its streaming thread) when it becomes active. */
    final class Route implements EncodedStreamSink {
        private Consumer<Route> onSwitched;
        /** The subscription's last caps, given to the appsrc whenever this route becomes the active one. */
        private String caps;
        /** What the route passed in its last time as the active one: bytes, the packets they make, from and to. */
        private long bytes;
        private long packets;
        private long activeFromNanos = System.nanoTime();
        private long activeToNanos;

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
                    long now = System.nanoTime();
                    if (active != null) {
                        active.activeToNanos = now;
                    }
                    active = this;
                    pending = null;
                    bytes = 0;
                    packets = 0;
                    activeFromNanos = now;
                    activeToNanos = 0;
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
                long size = buffer.size();
                bytes += size;
                packets += Math.max(1, (size + packetBytes - PACKET_OVERHEAD - 1) / (packetBytes - PACKET_OVERHEAD));
                return target.onBuffer(buffer);
            }
        }
    }

    /** @param packetBytes the largest RTP packet the payloader makes (its {@code mtu}) */
    SwitchingSink(AppSrcSink target, Runnable onFirstBuffer, int packetBytes) {
        this.target = target;
        this.onFirstBuffer = onFirstBuffer;
        this.packetBytes = packetBytes;
    }

    /** The mean size of the RTP packets the active route's frames make, or the largest before any frame. */
    synchronized int meanPacketBytes() {
        Route route = active;
        return route == null || route.packets == 0 ? packetBytes
                : (int) ((route.bytes + route.packets * PACKET_OVERHEAD) / route.packets);
    }

    /** What the active route sends, in kbit/s, averaged since it became active; 0 before any frame. */
    synchronized long kbps() {
        return active == null ? 0 : kbps(active);
    }

    /**
     * What a route sent in its last time as the active one (until now if it still is), in kbit/s: what its tier
     * really takes, where the ladder may only know a target (or nothing, for the top). 0 when it was active for less
     * than {@link #MEASURED_NANOS}: a time that short is mostly its first key frame.
     */
    synchronized long kbps(Route route) {
        long nanos = (route.activeToNanos == 0 ? System.nanoTime() : route.activeToNanos) - route.activeFromNanos;
        return nanos < MEASURED_NANOS ? 0 : (route.bytes + route.packets * PACKET_OVERHEAD) * 8 * 1_000_000L / nanos;
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
