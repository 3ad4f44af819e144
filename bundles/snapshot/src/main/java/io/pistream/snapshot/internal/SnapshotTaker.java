package io.pistream.snapshot.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.pistream.api.Availability;
import io.pistream.api.Codecs;
import io.pistream.api.EncodedBuffer;
import io.pistream.api.EncodedStreamSink;
import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.MediaKind;
import io.pistream.api.StreamStatus;
import io.pistream.api.Subscription;
import io.pistream.api.snapshot.SnapshotException;
import io.pistream.api.snapshot.SnapshotException.Reason;
import io.pistream.api.snapshot.Snapshots;

/**
 * Takes pictures through the hub: each request subscribes to the source's JPEG stream (starting the capture when
 * nobody watches), keeps the first picture that arrives and unsubscribes; the hub's linger keeps the capture and
 * the JPEG encoder running a while for the next request. Pictures of another width or quality are converted,
 * a bounded number at a time.
 */
public final class SnapshotTaker implements Snapshots {

    /** The longest a caller may wait. */
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
    private static final long STATUS_POLL_MILLIS = 200;
    private static final Pattern WIDTH = Pattern.compile("\\bwidth=\\(int\\)(\\d+)");
    private static final Pattern HEIGHT = Pattern.compile("\\bheight=\\(int\\)(\\d+)");

    /** Requests waiting for a picture at once, each with a subscription of its own; more wait their turn. */
    static final int MAX_WAITING = 16;

    private final MediaHub hub;
    private final int encoderQuality;
    private final Semaphore conversions;
    private final Semaphore waiting;

    public SnapshotTaker(MediaHub hub, int encoderQuality, int maxConversions) {
        this(hub, encoderQuality, maxConversions, MAX_WAITING);
    }

    SnapshotTaker(MediaHub hub, int encoderQuality, int maxConversions, int maxWaiting) {
        this.hub = hub;
        this.encoderQuality = encoderQuality;
        this.conversions = new Semaphore(maxConversions, true);
        this.waiting = new Semaphore(maxWaiting, true);
    }

    @Override
    public byte[] jpeg(String sourceId, int width, int quality, Duration timeout) throws SnapshotException {
        if (width < 0 || width > MAX_WIDTH) {
            throw new SnapshotException(Reason.BAD_REQUEST, "width must be 1 to " + MAX_WIDTH + " (0: the source's "
                    + "own width), was " + width);
        }
        if (quality < 1 || quality > 100) {
            throw new SnapshotException(Reason.BAD_REQUEST, "quality must be 1 to 100, was " + quality);
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new SnapshotException(Reason.BAD_REQUEST, "timeout must be more than 0 and at most "
                    + MAX_TIMEOUT.toSeconds() + " s, was " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        checkSource(sourceId);
        Picture picture;
        acquire(waiting, deadline, timeout, "too many pictures are being waited for");
        try {
            picture = take(sourceId, deadline, timeout);
        } finally {
            waiting.release();
        }
        int[] size = size(picture.caps());
        boolean scale = width > 0 && size != null && width < size[0];
        if (!scale && quality == encoderQuality) {
            return picture.jpeg();
        }
        int targetWidth = scale ? width : size == null ? 0 : size[0];
        if (targetWidth == 0) {
            throw new SnapshotException(Reason.UNAVAILABLE, "the picture of '" + sourceId + "' has no size: "
                    + picture.caps());
        }
        // even sizes: chroma subsampled pictures cannot be odd everywhere
        int targetHeight = scale ? Math.max(2, (int) Math.round((double) size[1] * targetWidth / size[0]) & ~1)
                : size[1];
        if (scale) {
            targetWidth = Math.max(2, targetWidth & ~1);
        }
        return convert(sourceId, picture, targetWidth, targetHeight, quality, deadline, timeout);
    }

    private void checkSource(String sourceId) throws SnapshotException {
        Availability availability = hub.availability(sourceId, Codecs.JPEG);
        if (availability.state() == Availability.State.NO_SOURCE) {
            throw new SnapshotException(Reason.UNKNOWN_SOURCE, "no source '" + sourceId + "'");
        }
        if (availability.sourceKind() != MediaKind.VIDEO) {
            throw new SnapshotException(Reason.NOT_VIDEO, "source '" + sourceId + "' is "
                    + String.valueOf(availability.sourceKind()).toLowerCase(java.util.Locale.ROOT)
                    + ", it has no pictures");
        }
        if (!availability.available()) {
            throw new SnapshotException(Reason.UNAVAILABLE, "source '" + sourceId + "': " + availability.detail());
        }
    }

    private record Picture(byte[] jpeg, String caps) {
    }

    /** Waits for the first picture of a subscription of its own. */
    private Picture take(String sourceId, long deadline, Duration timeout) throws SnapshotException {
        CompletableFuture<Picture> first = new CompletableFuture<>();
        EncodedStreamSink sink = new EncodedStreamSink() {
            private volatile String caps;

            @Override
            public void onCaps(String newCaps) {
                caps = newCaps;
            }

            @Override
            public boolean onBuffer(EncodedBuffer buffer) {
                // on the streaming thread: copy once (a picture is small); the waiter closes the subscription
                if (!first.isDone()) {
                    first.complete(new Picture(buffer.copyBytes(), caps));
                }
                return true;
            }

            @Override
            public void onEnd(String reason) {
                first.completeExceptionally(new SnapshotException(Reason.UNAVAILABLE, reason));
            }
        };
        Subscription subscription;
        try {
            subscription = hub.subscribe(sourceId, Codecs.JPEG, sink);
        } catch (MediaException e) {
            throw new SnapshotException(Reason.UNAVAILABLE, e.getMessage(), e);
        }
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    String problem = problem(sourceId);
                    throw problem != null ? new SnapshotException(Reason.UNAVAILABLE, problem)
                            : new SnapshotException(Reason.TIMEOUT, "no picture of '" + sourceId + "' within "
                                    + timeout.toMillis() + " ms");
                }
                try {
                    return first.get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(STATUS_POLL_MILLIS)),
                            TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // a capture that failed and waits to be rebuilt has no picture to give soon: say why now
                    String failure = restarting(sourceId);
                    if (failure != null) {
                        throw new SnapshotException(Reason.UNAVAILABLE, failure);
                    }
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SnapshotException snapshot) {
                throw snapshot;
            }
            throw new SnapshotException(Reason.UNAVAILABLE, String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException(Reason.TIMEOUT, "interrupted while waiting for a picture", e);
        } finally {
            subscription.close();
        }
    }

    private String restarting(String sourceId) {
        for (StreamStatus stream : hub.streams()) {
            if (stream.sourceId().equals(sourceId) && "RESTARTING".equals(stream.state())) {
                return "source '" + sourceId + "' failed: " + stream.lastError();
            }
        }
        return null;
    }

    private String problem(String sourceId) {
        String restarting = restarting(sourceId);
        if (restarting != null) {
            return restarting;
        }
        return hub.sources().stream().filter(source -> source.id().equals(sourceId) && source.problem() != null)
                .map(source -> "source '" + sourceId + "': " + source.problem()).findFirst().orElse(null);
    }

    private byte[] convert(String sourceId, Picture picture, int width, int height, int quality, long deadline,
            Duration timeout) throws SnapshotException {
        acquire(conversions, deadline, timeout, "too many pictures are being converted");
        try {
            long left = Math.max(TimeUnit.MILLISECONDS.toNanos(100), deadline - System.nanoTime());
            return JpegConverter.convert(picture.jpeg(), picture.caps(), width, height, quality, left);
        } catch (MediaException e) {
            throw new SnapshotException(Reason.UNAVAILABLE, "picture of '" + sourceId + "': " + e.getMessage(), e);
        } finally {
            conversions.release();
        }
    }

    private static void acquire(Semaphore permits, long deadline, Duration timeout, String busy)
            throws SnapshotException {
        try {
            if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new SnapshotException(Reason.TIMEOUT, busy + "; no turn came within " + timeout.toMillis()
                        + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotException(Reason.TIMEOUT, "interrupted while waiting for a turn", e);
        }
    }

    /** Width and height from JPEG caps, or null when they say none. */
    static int[] size(String caps) {
        if (caps == null) {
            return null;
        }
        Matcher width = WIDTH.matcher(caps);
        Matcher height = HEIGHT.matcher(caps);
        if (!width.find() || !height.find()) {
            return null;
        }
        return new int[] {Integer.parseInt(width.group(1)), Integer.parseInt(height.group(1))};
    }
}
