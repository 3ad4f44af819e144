package io.pistream.restapi.internal;

/**
 * A part of the API that belongs to a feature (recordings, RTSP, WebRTC, talk-back, speech): a component with a
 * mandatory reference to that feature's service, registered only while the service is there. {@link ApiResource}
 * hands requests to it, or answers 503 naming the feature when it is absent. Its class is loaded only once the
 * feature's package is wired, so the API bundle resolves without the feature.
 */
interface Area {

    /** The sub-resource that serves the area's paths. */
    Object resource();
}
