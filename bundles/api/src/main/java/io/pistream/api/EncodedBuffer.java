package io.pistream.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One encoded buffer of a subscription, lent to {@link EncodedStreamSink#onBuffer} for the duration of that call.
 * Using it after the call has returned throws {@link IllegalStateException}: to keep it longer, {@link #retain()}
 * it. The media stays in native memory; reading it costs nothing, {@link #copyBytes()} copies.
 */
@ProviderType
public interface EncodedBuffer {

    /** Whether this is a key frame (or a buffer of a codec without delta units, such as Opus). */
    boolean isKeyFrame();

    /** The size of the encoded data in bytes. */
    long size();

    /** A copy of the encoded data. */
    byte[] copyBytes();

    /**
     * A reference of the caller's own to this buffer, valid after {@code onBuffer} has returned until it is closed.
     * Close it exactly once; a retained buffer that is collected without being closed is released and logged as a
     * leak.
     */
    RetainedBuffer retain();
}
