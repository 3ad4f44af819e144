package io.pistream.webrtc.internal.session;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The little of an SDP description that a session needs to read: its media sections, their payload types in
 * order, and the codec name, clock rate and parameters of each. GStreamer parses and validates the description
 * itself; this only has to be lenient and never fail on what it does not know.
 */
public final class Sdp {

    /** One payload type of a media section. */
    public record Format(int payload, String encoding, int clockRate, String channels, Map<String, String> fmtp) {

        /** H.264 in packetization mode 1 (FU-A, what rtph264pay sends). */
        public boolean isH264Mode1() {
            return "H264".equals(encoding) && "1".equals(fmtp.getOrDefault("packetization-mode", "0"));
        }

        /** H.264 whose profile-level-id names (constrained) baseline, or none (baseline by RFC 6184). */
        public boolean isBaselineProfile() {
            String profile = fmtp.get("profile-level-id");
            return profile == null || profile.toLowerCase(Locale.ROOT).startsWith("42");
        }
    }

    /** One {@code m=} section. */
    public record Media(int index, String kind, String direction, List<Format> formats) {

        /** The first format (the one the answerer prefers), or {@code null}. */
        public Format first() {
            return formats.isEmpty() ? null : formats.get(0);
        }
    }

    private final List<Media> media;

    private Sdp(List<Media> media) {
        this.media = media;
    }

    public List<Media> media() {
        return media;
    }

    /** Parses the text; unknown lines are ignored. */
    public static Sdp parse(String text) {
        List<Media> result = new ArrayList<>();
        String kind = null;
        String direction = "sendrecv";
        List<Integer> order = new ArrayList<>();
        Map<Integer, String[]> rtpmap = new LinkedHashMap<>();
        Map<Integer, Map<String, String>> fmtp = new LinkedHashMap<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                if (kind != null) {
                    result.add(build(result.size(), kind, direction, order, rtpmap, fmtp));
                }
                String[] parts = line.substring(2).split(" ");
                kind = parts[0];
                direction = "sendrecv";
                order = new ArrayList<>();
                rtpmap = new LinkedHashMap<>();
                fmtp = new LinkedHashMap<>();
                for (int i = 3; i < parts.length; i++) {
                    Integer pt = number(parts[i]);
                    if (pt != null) {
                        order.add(pt);
                    }
                }
            } else if (kind == null) {
                continue;
            } else if (line.startsWith("a=rtpmap:")) {
                String[] parts = line.substring(9).split(" ", 2);
                Integer pt = number(parts[0]);
                if (pt != null && parts.length == 2) {
                    rtpmap.put(pt, parts[1].split("/"));
                }
            } else if (line.startsWith("a=fmtp:")) {
                String[] parts = line.substring(7).split(" ", 2);
                Integer pt = number(parts[0]);
                if (pt != null && parts.length == 2) {
                    Map<String, String> params = new LinkedHashMap<>();
                    for (String param : parts[1].split(";")) {
                        String[] pair = param.trim().split("=", 2);
                        params.put(pair[0].trim().toLowerCase(Locale.ROOT), pair.length == 2 ? pair[1].trim() : "");
                    }
                    fmtp.put(pt, params);
                }
            } else if (line.equals("a=sendonly") || line.equals("a=recvonly") || line.equals("a=sendrecv")
                    || line.equals("a=inactive")) {
                direction = line.substring(2);
            }
        }
        if (kind != null) {
            result.add(build(result.size(), kind, direction, order, rtpmap, fmtp));
        }
        return new Sdp(Collections.unmodifiableList(result));
    }

    private static Media build(int index, String kind, String direction, List<Integer> order,
            Map<Integer, String[]> rtpmap, Map<Integer, Map<String, String>> fmtp) {
        List<Format> formats = new ArrayList<>();
        for (int pt : order) {
            String[] map = rtpmap.get(pt);
            if (map == null) {
                continue;
            }
            Integer clock = map.length > 1 ? number(map[1]) : null;
            formats.add(new Format(pt, map[0].toUpperCase(Locale.ROOT), clock == null ? 0 : clock,
                    map.length > 2 ? map[2] : null, Map.copyOf(fmtp.getOrDefault(pt, Map.of()))));
        }
        return new Media(index, kind, direction, List.copyOf(formats));
    }

    private static Integer number(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The same description with {@code a=rtcp-fb:<pt> goog-remb} on each VP8 and H.264 format of its video sections,
     * so that the viewer sends its bandwidth estimate (REMB). webrtcbin offers transport-cc feedback but neither the
     * header extension it needs nor REMB, so a browser would otherwise send no estimate at all.
     *
     * @param offered for an answer, the offer: it is added only where the offer carried it for that format; null for
     *                an offer
     */
    public static String askingForEstimates(String sdp, String offered) {
        StringBuilder out = new StringBuilder(sdp.length() + 128);
        List<String> lines = sdp.lines().toList();
        String ending = sdp.contains("\r\n") ? "\r\n" : "\n";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            out.append(line).append(ending);
            if (!line.startsWith("a=rtpmap:")) {
                continue;
            }
            String[] parts = line.substring("a=rtpmap:".length()).split(" ", 2);
            String encoding = parts.length < 2 ? "" : parts[1].toUpperCase(java.util.Locale.ROOT);
            if (!encoding.startsWith("VP8/") && !encoding.startsWith("H264/")) {
                continue;
            }
            String feedback = "a=rtcp-fb:" + parts[0] + " goog-remb";
            if (sdp.contains(feedback + ending) || offered != null && !offered.contains(feedback)) {
                continue;
            }
            out.append(feedback).append(ending);
        }
        return out.toString();
    }
}
