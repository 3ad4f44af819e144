package io.pistream.whep.internal;

/** Offers as browsers and OBS write them, trimmed to what the checks read. */
final class Offers {

    private Offers() {
    }

    static String offer(String direction, String... media) {
        StringBuilder sdp = new StringBuilder("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                + "a=group:BUNDLE 0 1\r\n");
        int mid = 0;
        for (String m : media) {
            sdp.append(m).append("c=IN IP4 0.0.0.0\r\na=ice-ufrag:Ab12\r\na=ice-pwd:bT3xQ2yS1vP0oN9mL8kJ7hG6\r\n"
                    + "a=fingerprint:sha-256 11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88"
                    + ":99:AA:BB:CC:DD:EE:FF:00\r\na=setup:actpass\r\n")
                    .append("a=mid:").append(mid++).append("\r\n")
                    .append("a=").append(direction).append("\r\na=rtcp-mux\r\n");
        }
        return sdp.toString();
    }

    static final String VP8_H264 = "m=video 9 UDP/TLS/RTP/SAVPF 96 102\r\na=rtpmap:96 VP8/90000\r\n"
            + "a=rtpmap:102 H264/90000\r\n"
            + "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n";
    static final String H264_MODE0 = "m=video 9 UDP/TLS/RTP/SAVPF 102\r\na=rtpmap:102 H264/90000\r\n"
            + "a=fmtp:102 packetization-mode=0;profile-level-id=42e01f\r\n";
    static final String AV1 = "m=video 9 UDP/TLS/RTP/SAVPF 45\r\na=rtpmap:45 AV1/90000\r\n";
    static final String OPUS = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n";
    static final String PCMU = "m=audio 9 UDP/TLS/RTP/SAVPF 0\r\na=rtpmap:0 PCMU/8000\r\n";

    /** What a WHEP player sends: it receives video and audio. */
    static String playback() {
        return offer("recvonly", VP8_H264, OPUS);
    }

    /** What a WHIP client sends: it sends video and audio. */
    static String ingest() {
        return offer("sendonly", VP8_H264, OPUS);
    }
}
