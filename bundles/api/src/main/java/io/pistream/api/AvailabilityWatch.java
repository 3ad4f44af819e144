package io.pistream.api;

/** A listener registered with {@link MediaHub#watchAvailability}; closing it stops the calls. */
public interface AvailabilityWatch extends AutoCloseable {

    /** Stops the calls; one already under way may still finish. Closing twice does nothing. */
    @Override
    void close();
}
