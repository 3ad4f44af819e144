package io.pistream.api;

import java.util.List;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The one owner of running capture and encoder pipelines. Each source is opened once and each codec encoded
 * once, however many subscribers share it; the first subscriber starts them, the last one leaving stops them
 * after a linger.
 *
 * <p>Only the hub implements this interface; outputs use it.
 */
@ProviderType
public interface MediaHub {

    /**
     * Subscribes to a source encoded with a codec. The sink first receives the caps, then buffers starting at a
     * key frame (one is forced for each new subscriber).
     *
     * @throws MediaException when the source is unknown or no encoder exists for the codec
     */
    Subscription subscribe(String sourceId, String codec, EncodedStreamSink sink) throws MediaException;

    /**
     * Subscribes to one tier of a source's quality ladder ({@link #tiers}): tier 0 is what
     * {@link #subscribe(String, String, EncodedStreamSink)} gives, the others are the source scaled down and encoded
     * at a lower bitrate. Each (codec, tier) is encoded once, shared by its subscribers, and runs only while
     * subscribed; key frames asked for by the subscribers of one tier are made by that tier's encoder only.
     *
     * @throws MediaException when the source is unknown, has no such tier, or no encoder exists for the codec
     */
    default Subscription subscribe(String sourceId, String codec, int tier, EncodedStreamSink sink)
            throws MediaException {
        if (tier != 0) {
            throw new MediaException("This media hub offers no tier " + tier + " of '" + sourceId + "'");
        }
        return subscribe(sourceId, codec, sink);
    }

    /**
     * The tiers a source is offered at, top (index 0) first; empty when the source is unknown. An audio source
     * has only its top tier; a video source is not offered tiers larger than itself.
     */
    default List<Tier> tiers(String sourceId) {
        return List.of();
    }

    /**
     * Whether {@link #subscribe} can succeed now for this source and codec: the source is registered and can
     * run, and a usable encoder produces the codec from sources of its kind. A subscription may still fail when
     * the pipeline itself cannot be built.
     */
    Availability availability(String sourceId, String codec);

    /**
     * Tells {@code listener} the {@link #availability} of a source and codec now, and again each time it changes
     * (sources and encoders come, go and are reconfigured). Calls come one at a time, in order, on a thread of the
     * hub that never carries GStreamer callbacks: the listener may take locks and call the hub, but should not
     * block for long.
     *
     * @return the handle that stops the calls
     */
    AvailabilityWatch watchAvailability(String sourceId, String codec, Consumer<Availability> listener);

    /** A snapshot of every running stream. */
    List<StreamStatus> streams();

    /** The sources known to the hub, whether running or not. */
    List<SourceStatus> sources();

    /** The pipeline graph of a running source in Graphviz dot form, or {@code null} if it is not running. */
    String graph(String sourceId);

    /**
     * Rebuilds a running source's capture now (for example after its device was replugged); its subscribers stay
     * subscribed and resume at the next key frame.
     *
     * @return {@code false} when the source is not running
     */
    boolean restart(String sourceId);
}
