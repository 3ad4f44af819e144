package io.pistream.webrtc.internal.session;

import com.sun.jna.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a session's webrtcbin finds its peer: one bundle, the STUN and TURN servers, and the local addresses to use. */
final class IceSetup {

    private static final Logger LOG = LoggerFactory.getLogger(IceSetup.class);

    /**
     * Time between two ICE connectivity checks (libnice's Ta: 20 ms by default; RFC 8445 allows 5 ms). A session
     * needs a check and then a nominating check per pair: at 20 ms, ICE took 55-65 ms on loopback before the first
     * packet could go out, at 5 ms 9-15 ms. The checks are small STUN packets, a few per session.
     */
    static final int ICE_CHECK_PACING_MILLIS = 5;

    private final SessionSettings settings;

    IceSetup(SessionSettings settings) {
        this.settings = settings;
    }

    /** Sets webrtcbin up before it joins the pipeline; a TURN server it refuses is logged without its credentials. */
    void apply(Pointer webrtcbin, String sessionId) {
        WebRtcNative.setInt(webrtcbin, "bundle-policy", WebRtcNative.BUNDLE_MAX_BUNDLE);
        if (!WebRtcNative.setIceCheckPacing(webrtcbin, ICE_CHECK_PACING_MILLIS)) {
            LOG.debug("Session {}: the ICE agent is not libnice's; its checks keep their own pacing", sessionId);
        }
        if (!settings.stunServer().isEmpty()) {
            WebRtcNative.setString(webrtcbin, "stun-server", settings.stunServer());
        }
        for (String turn : settings.turnServers()) {
            if (!WebRtcNative.addTurnServer(webrtcbin, turn)) {
                LOG.warn("Session {}: webrtcbin refused TURN server {}", sessionId, redactTurn(turn));
            }
        }
        if (!settings.localIps().isEmpty()) {
            WebRtcNative.addLocalIpAddresses(webrtcbin, settings.localIps());
        }
    }

    /** {@code turn://user:secret@host} → {@code turn://***@host}. */
    static String redactTurn(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }
}
