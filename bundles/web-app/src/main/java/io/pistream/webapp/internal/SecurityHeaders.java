package io.pistream.webapp.internal;

import io.pistream.api.net.HostNames;

/** The headers of every page of the app: nothing from elsewhere, nothing inline, no framing, HTTPS only. */
final class SecurityHeaders {

    private SecurityHeaders() {
    }

    /**
     * The Content-Security-Policy: scripts, styles and images from the device itself; WebSocket connections to
     * the device's own signalling endpoint; camera and microphone media need no source (they are MediaStreams).
     */
    static String contentSecurityPolicy(String host, boolean secure) {
        String connect = "'self'";
        // A host with an optional port, as browsers send it; anything else falls back to 'self' only.
        if (HostNames.isAuthority(host)) {
            connect += (secure ? " wss://" : " ws://") + host;
        }
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; "
                + "connect-src " + connect + "; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                + "form-action 'self'";
    }
}
