package io.pistream.janus;

import java.time.Instant;

/**
 * One Janus output as it is now.
 *
 * @param name         the configuration's name ({@code NAME} of {@code etc/io.pistream.janus-NAME.cfg})
 * @param url          the Janus HTTP API URL
 * @param mountpointId the streaming mountpoint's id on that server
 * @param video        the video source sent as H.264
 * @param audio        the audio source sent as Opus, or empty
 * @param state        REFUSED (bad configuration), CONNECTING, PUBLISHING (mountpoint created, RTP flowing),
 *                     RETRYING (after a failure, waiting to try again) or STOPPED
 * @param reachable    whether the last request to Janus got an answer
 * @param videoPort    the UDP port Janus gave for video, or 0
 * @param audioPort    the UDP port Janus gave for audio, or 0
 * @param rtp          the state of the RTP push (SENDING, WAITING, ...), or {@code null} when not sending
 * @param lastError    why it last failed, or {@code null}
 * @param lastErrorAt  when, or {@code null}
 * @param publishedAt  when the mountpoint was last created, or {@code null}
 */
public record JanusMountpoint(String name, String url, long mountpointId, String video, String audio, String state,
        boolean reachable, int videoPort, int audioPort, String rtp, String lastError, Instant lastErrorAt,
        Instant publishedAt) {
}
