package io.pistream.api;

import org.freedesktop.gstreamer.Element;

/**
 * A capture device or generator of raw media, registered as an OSGi service. Third-party bundles add sources by
 * registering this service; the media hub is the only caller of {@link #createElement()}.
 *
 * <p>Service properties {@link #SOURCE_ID} and {@link #SOURCE_KIND} repeat {@link #id()} and {@link #kind()} so
 * that outputs can target a source with a filter.
 */
public interface MediaSource {

    /** Service property holding {@link #id()}. */
    String SOURCE_ID = "pistream.source.id";
    /** Service property holding {@link #kind()} as its lower-case name. */
    String SOURCE_KIND = "pistream.source.kind";

    /** Stable identifier used by outputs and the shell, for example {@code front}. */
    String id();

    MediaKind kind();

    /** Name shown to users. */
    String name();

    /** The raw caps the element produces, for example {@code video/x-raw,format=I420,width=1280,height=720}. */
    String rawCaps();

    /**
     * Builds a new element (usually a bin with a ghost pad named {@code src}) that produces {@link #rawCaps()}.
     * It is built from element factories and typed properties, never from text supplied by a remote user.
     * Called by the hub each time it (re)starts the capture; the hub owns and disposes the result.
     *
     * @throws MediaException when the element cannot be built (missing plugin, device gone)
     */
    Element createElement() throws MediaException;
}
