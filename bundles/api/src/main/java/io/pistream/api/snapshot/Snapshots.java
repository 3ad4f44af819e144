package io.pistream.api.snapshot;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * JPEG pictures of video sources, registered as a service by the bundle that takes them. Callers (the HTTP API, the
 * web console) never build pipelines for a picture themselves.
 */
@ProviderType
public interface Snapshots {

    /** The largest width a caller may ask for; larger pictures are never scaled up anyway. */
    int MAX_WIDTH = 3840;

    /** The JPEG quality used when the caller does not choose one. */
    int DEFAULT_QUALITY = 85;

    /**
     * The current picture of a video source as a JPEG.
     *
     * @param sourceId the source
     * @param width    the width wanted in pixels (the height follows the aspect ratio), or 0 for the source's own
     *                 width; never scaled up; 1 to {@link #MAX_WIDTH}
     * @param quality  JPEG quality, 1 to 100
     * @param timeout  how long to wait for a picture, capture start included
     * @throws SnapshotException naming why there is no picture
     */
    byte[] jpeg(String sourceId, int width, int quality, Duration timeout) throws SnapshotException;
}
