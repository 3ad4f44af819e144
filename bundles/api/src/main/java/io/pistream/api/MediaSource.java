package io.pistream.api;

import org.freedesktop.gstreamer.Element;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A capture device or generator of raw media, registered as an OSGi service. Third-party bundles add sources by
 * registering this service; the media hub is the only caller of {@link #createElement()}.
 */
@ConsumerType
public interface MediaSource {

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

    /**
     * Why this source cannot run, for example a refused configuration, or {@code null} when it can. A source
     * with a problem is still listed, so that users see the reason, but nobody can subscribe to it.
     */
    default String problem() {
        return null;
    }

    /** What the hub does when the stream of this source ends. */
    default AtEnd atEnd() {
        return AtEnd.FAIL;
    }

    /** What the end of a source's stream means. */
    enum AtEnd {
        /** A live device never ends: an end is a failure, the capture is rebuilt after a growing delay. */
        FAIL,
        /** Play again from the start at once (a looping file). */
        RESTART,
        /** The stream is over: every subscription ends (a file played once). */
        STOP
    }
}
