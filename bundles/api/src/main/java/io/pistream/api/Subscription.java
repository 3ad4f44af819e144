package io.pistream.api;

import org.osgi.annotation.versioning.ProviderType;

/** A consumer's hold on an encoded stream; closing it lets the hub stop the stream after its linger. */
@ProviderType
public interface Subscription extends AutoCloseable {

    String sourceId();

    String codec();

    /** The tier of the source's quality ladder subscribed to, 0 for the top (see {@link MediaHub#tiers}). */
    default int tier() {
        return 0;
    }

    /** Asks the shared encoder for a key frame, for example after a viewer reported loss. Rate-limited. */
    void requestKeyFrame();

    @Override
    void close();
}
