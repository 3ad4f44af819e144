package io.pistream.whep.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * An {@code application/trickle-ice-sdpfrag} body (RFC 8840) as a WHIP/WHEP client PATCHes it: the ICE
 * credentials, and candidates by {@code a=mid} (or by m-line position when a section has no mid).
 */
record TrickleFragment(String iceUfrag, String icePwd, List<Candidate> candidates, boolean endOfCandidates) {

    /** One candidate line, without {@code a=}, for the media section {@code mid} (or position {@code section}). */
    record Candidate(String mid, int section, String candidate) {
    }

    static TrickleFragment parse(String body) {
        String ufrag = null;
        String pwd = null;
        List<Candidate> candidates = new ArrayList<>();
        boolean end = false;
        int section = -1;
        String mid = null;
        for (String raw : body.split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                section++;
                mid = null;
            } else if (line.startsWith("a=mid:")) {
                mid = line.substring(6).trim();
            } else if (line.startsWith("a=ice-ufrag:")) {
                ufrag = line.substring(12).trim();
            } else if (line.startsWith("a=ice-pwd:")) {
                pwd = line.substring(10).trim();
            } else if (line.startsWith("a=candidate:")) {
                candidates.add(new Candidate(mid, Math.max(section, 0), line.substring(2)));
            } else if (line.equals("a=end-of-candidates")) {
                end = true;
            } else if (!line.isEmpty() && !line.startsWith("a=") && !line.startsWith("c=")) {
                throw new IllegalArgumentException("not an SDP fragment line: "
                        + (line.length() > 40 ? line.substring(0, 40) + "..." : line));
            }
        }
        return new TrickleFragment(ufrag, pwd, candidates, end);
    }
}
