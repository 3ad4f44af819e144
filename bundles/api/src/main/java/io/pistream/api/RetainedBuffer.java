package io.pistream.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * An {@link EncodedBuffer} owned by whoever {@linkplain EncodedBuffer#retain() retained} it. {@link #close()}
 * releases it; using it afterwards, or closing it twice, throws {@link IllegalStateException}.
 */
@ProviderType
public interface RetainedBuffer extends EncodedBuffer, AutoCloseable {

    @Override
    void close();
}
