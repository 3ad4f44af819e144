package io.pistream.whep.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.pistream.webrtc.internal.session.Sdp;

/**
 * What the doors check of an offer before any pipeline is built, so that bad input is answered at once with a
 * reason: that it is SDP at all (400), that it can carry WebRTC (ICE and DTLS), and that it has a codec and a
 * direction the device can use (406). The checks of webrtcbin itself still follow.
 */
final class OfferCheck {

    /** The offer refused: {@code status} 400 (not usable SDP) or 406 (nothing the device can send or take). */
    record Problem(int status, String reason) {
    }

    /** What the offer brings: the {@code a=mid} of each m-line (or null) and the client's ICE user fragment. */
    record Offer(List<String> mids, String iceUfrag) {
    }

    private OfferCheck() {
    }

    /** For WHEP: the device sends, so a video m-line with VP8/H.264 or an audio m-line with Opus it may send on. */
    static Object forPlayback(String text) {
        return check(text, true);
    }

    /** For WHIP: the device receives, so a video m-line with VP8/H.264 or an audio m-line with Opus sent to it. */
    static Object forIngest(String text) {
        return check(text, false);
    }

    /** The {@link Offer}, or the {@link Problem}. */
    private static Object check(String text, boolean deviceSends) {
        if (text == null || text.isBlank()) {
            return new Problem(400, "the body is empty: send an SDP offer");
        }
        if (!text.startsWith("v=0")) {
            return new Problem(400, "the body is not an SDP description (it must start with v=0)");
        }
        List<String> mids = new ArrayList<>();
        String ufrag = null;
        boolean fingerprint = false;
        int sections = 0;
        for (String raw : text.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                sections++;
                mids.add(null);
            } else if (line.startsWith("a=mid:") && sections > 0) {
                mids.set(sections - 1, line.substring(6).trim());
            } else if (line.startsWith("a=ice-ufrag:") && ufrag == null) {
                ufrag = line.substring(12).trim();
            } else if (line.startsWith("a=fingerprint:")) {
                fingerprint = true;
            }
        }
        if (sections == 0) {
            return new Problem(400, "the offer has no media section (m=)");
        }
        if (ufrag == null || ufrag.isEmpty()) {
            return new Problem(400, "the offer has no ICE credentials (a=ice-ufrag)");
        }
        if (!fingerprint) {
            return new Problem(400, "the offer has no DTLS fingerprint (a=fingerprint)");
        }
        Sdp sdp = Sdp.parse(text);
        boolean usable = false;
        List<String> seen = new ArrayList<>();
        for (Sdp.Media media : sdp.media()) {
            String direction = media.direction();
            boolean flows = deviceSends ? !direction.equals("sendonly") && !direction.equals("inactive")
                    : !direction.equals("recvonly") && !direction.equals("inactive");
            for (Sdp.Format format : media.formats()) {
                seen.add(media.kind() + " " + format.encoding().toLowerCase(Locale.ROOT));
                if (flows && usable(media.kind(), format)) {
                    usable = true;
                }
            }
        }
        if (!usable) {
            return new Problem(406, "the offer has no codec the device can " + (deviceSends ? "send" : "receive")
                    + " in that direction (video VP8 or H.264 packetization-mode=1, audio Opus; the offer has "
                    + (seen.isEmpty() ? "none" : String.join(", ", seen.stream().distinct().toList())) + ")");
        }
        return new Offer(mids, ufrag);
    }

    private static boolean usable(String kind, Sdp.Format format) {
        return switch (kind) {
            case "video" -> format.encoding().equals("VP8") || format.isH264Mode1();
            case "audio" -> format.encoding().equals("OPUS");
            default -> false;
        };
    }
}
