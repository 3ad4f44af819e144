package io.pistream.webrtc;

import io.pistream.api.Tier;

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
 * @param lossPercent       packets lost over packets sent (or received) between the last two readings, in percent:
 *                          the larger of the share the viewer's last report counts lost and the share it asked for
 *                          again (each packet once), since a report leaves out the losses retransmissions repaired
 * @param estimateKbps      the bandwidth the viewer estimates it receives (its REMB feedback), or -1 when it sends
 *                          none
 * @param tier              the tier of the video source's quality ladder the viewer gets now, or null when the
 *                          session sends no video
 * @param tierReason        why the viewer is on that tier (for example {@code down: 23 % of packets lost}), or null
 */
public record SessionStatus(String sessionId, String role, String peerId, String codecs, String state, long bitrate,
        long packetsLost, double rttMillis, long startedMillis, long firstMediaMillis, String endReason,
        double lossPercent, long estimateKbps, Tier tier, String tierReason) {

    /** A session with no link figures beyond the first ones, and no tier. */
    public SessionStatus(String sessionId, String role, String peerId, String codecs, String state, long bitrate,
            long packetsLost, double rttMillis, long startedMillis, long firstMediaMillis, String endReason) {
        this(sessionId, role, peerId, codecs, state, bitrate, packetsLost, rttMillis, startedMillis, firstMediaMillis,
                endReason, 0, -1, null, null);
    }
}
