package io.pistream.api;

import org.osgi.annotation.versioning.ProviderType;

/** A listener registered with {@link MediaHub#watchAvailability}; closing it stops the calls. */
@ProviderType
public interface AvailabilityWatch extends AutoCloseable {

    /** Stops the calls; one already under way may still finish. Closing twice does nothing. */
    @Override
    void close();
}
