package io.pistream.rtp.push;

/**
 * Where and what an {@link RtpPush} sends. Values are taken as they are: the caller checks them.
 *
 * @param name         a name for logs and thread names
 * @param host         receiver's IP address or host name
 * @param port         receiver's UDP port for video
 * @param video        id of the video source, sent as H.264
 * @param audio        id of an audio source sent as Opus, or empty for none
 * @param audioPort    receiver's UDP port for audio
 * @param mtu          largest RTP packet in bytes
 * @param payload      RTP payload type of video
 * @param audioPayload RTP payload type of audio
 */
public record RtpTarget(String name, String host, int port, String video, String audio, int audioPort, int mtu,
        int payload, int audioPayload) {
}
