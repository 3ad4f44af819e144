package io.pistream.webrtc;

/**
 * One WebRTC session.
 *
 * @param sessionId         the id the signalling server gave the session
 * @param role              {@code producer} (this device sends) or {@code receiver} (this device receives)
 * @param peerId            the other peer (the viewer of a producer session, the producer of a receiver one)
 * @param codecs            the codecs in use once negotiated, for example {@code VP8+OPUS}
 * @param state             {@code NEGOTIATING}, {@code CONNECTING}, {@code STREAMING} or {@code ENDED}
 * @param bitrate           bits per second sent (producer) or received (receiver) over the last seconds
 * @param packetsLost       packets lost as the other side reports it (producer) or as counted here (receiver)
 * @param rttMillis         round-trip time reported by RTCP in milliseconds, or -1 when not known yet
 * @param startedMillis     when the session started (epoch milliseconds)
 * @param firstMediaMillis  milliseconds from the start of the session to the first media buffer, or -1
 * @param endReason         why the session ended, or null while it runs
 */
public record SessionStatus(String sessionId, String role, String peerId, String codecs, String state, long bitrate,
        long packetsLost, double rttMillis, long startedMillis, long firstMediaMillis, String endReason) {
}
