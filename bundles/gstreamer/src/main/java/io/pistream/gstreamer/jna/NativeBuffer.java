package io.pistream.gstreamer.jna;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

import io.pistream.api.EncodedBuffer;
import io.pistream.api.RetainedBuffer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A native {@code GstBuffer*} as an {@link EncodedBuffer}: lent to the sinks of one delivery, or retained by one of
 * them. Every use checks that the loan or the reference is still valid, so a sink that keeps a buffer it was only
 * lent, or releases one twice, gets an {@link IllegalStateException} instead of corrupting native memory.
 */
public abstract sealed class NativeBuffer implements EncodedBuffer {

    private static final Logger LOG = LoggerFactory.getLogger(NativeBuffer.class);

    final Pointer buffer;
    /**
     * The size once asked for: every consumer of a delivery (and the hub's own count) may ask, and each native call
     * returns a new NativeLong. Volatile: a long is not written atomically on a 32-bit JVM.
     */
    private volatile long size = -1;

    private NativeBuffer(Pointer buffer) {
        this.buffer = buffer;
    }

    /** Lends {@code buffer} (still owned by the caller) until {@link Lent#endLoan()}. */
    public static Lent lend(Pointer buffer) {
        return new Lent(buffer);
    }

    /** The native buffer behind {@code buffer}, borrowed; for pistream's own outputs (appsrc feeds). */
    public static Pointer pointerOf(EncodedBuffer buffer) {
        if (buffer instanceof NativeBuffer nativeBuffer) {
            nativeBuffer.checkUsable();
            return nativeBuffer.buffer;
        }
        throw new IllegalArgumentException("Not a buffer of the media hub: " + buffer);
    }

    abstract void checkUsable();

    @Override
    public boolean isKeyFrame() {
        checkUsable();
        return GstDirect.isKeyFrame(buffer);
    }

    @Override
    public long size() {
        checkUsable();
        long known = size;
        if (known < 0) {
            known = LibGst.gst_buffer_get_size(buffer).longValue();
            size = known;
        }
        return known;
    }

    @Override
    public byte[] copyBytes() {
        checkUsable();
        long size = size();
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("Buffer of " + size + " bytes is too large to copy");
        }
        byte[] bytes = new byte[(int) size];
        LibGst.gst_buffer_extract(buffer, new NativeLong(0), bytes, new NativeLong(size));
        return bytes;
    }

    @Override
    public RetainedBuffer retain() {
        checkUsable();
        return new Retained(LibGst.gst_mini_object_ref(buffer));
    }

    /** A buffer lent for one delivery. */
    public static final class Lent extends NativeBuffer {
        private volatile boolean onLoan = true;

        private Lent(Pointer buffer) {
            super(buffer);
        }

        /** After this every use of the buffer throws. */
        public void endLoan() {
            onLoan = false;
        }

        @Override
        void checkUsable() {
            if (!onLoan) {
                throw new IllegalStateException(
                        "An encoded buffer was used after onBuffer returned; retain() it to keep it");
            }
        }
    }

    /** A reference owned by a sink; released on close, or by the cleaner (with a warning) if it leaks. */
    static final class Retained extends NativeBuffer implements RetainedBuffer {
        private static final Cleaner CLEANER = Cleaner.create();

        private final AtomicBoolean closed = new AtomicBoolean();
        private final Release release;
        private final Cleaner.Cleanable cleanable;

        Retained(Pointer buffer) {
            super(buffer);
            this.release = new Release(buffer);
            this.cleanable = CLEANER.register(this, release);
        }

        @Override
        void checkUsable() {
            if (closed.get()) {
                throw new IllegalStateException("A retained encoded buffer was used after close()");
            }
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                throw new IllegalStateException("A retained encoded buffer was closed twice");
            }
            release.closed = true;
            cleanable.clean();
        }
    }

    /** Holds no reference to the {@link Retained} it releases, so that it can be collected. */
    private static final class Release implements Runnable {
        private final Pointer buffer;
        volatile boolean closed;

        Release(Pointer buffer) {
            this.buffer = buffer;
        }

        @Override
        public void run() {
            if (!closed) {
                LOG.warn("A retained encoded buffer was never closed; released now");
            }
            LibGst.gst_mini_object_unref(buffer);
        }
    }
}
