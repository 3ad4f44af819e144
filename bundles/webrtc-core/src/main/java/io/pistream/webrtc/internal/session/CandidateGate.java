package io.pistream.webrtc.internal.session;

import java.util.ArrayList;
import java.util.List;

/**
 * Trickle ICE candidates that may not go through before a description is (ours sent, or the peer's set): held until
 * then in the order they came, passed on at once afterwards. On the session's control executor only.
 */
final class CandidateGate {

    /** Where the candidates go once the gate is open. */
    interface Target {
        void candidate(int mlineIndex, String candidate);
    }

    private record Held(int mlineIndex, String candidate) {
    }

    private final Target target;
    private final List<Held> held = new ArrayList<>();
    private boolean open;

    CandidateGate(Target target) {
        this.target = target;
    }

    void offer(int mlineIndex, String candidate) {
        if (open) {
            target.candidate(mlineIndex, candidate);
        } else {
            held.add(new Held(mlineIndex, candidate));
        }
    }

    /** Passes on what was held; from now on candidates go through at once. */
    void open() {
        open = true;
        for (Held candidate : held) {
            target.candidate(candidate.mlineIndex(), candidate.candidate());
        }
        held.clear();
    }
}
