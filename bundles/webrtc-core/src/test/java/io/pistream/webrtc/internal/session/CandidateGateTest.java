package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Candidates wait for the description, in order, and pass at once afterwards. */
class CandidateGateTest {

    private final List<String> passed = new ArrayList<>();
    private final CandidateGate gate = new CandidateGate((mline, candidate) -> passed.add(mline + ":" + candidate));

    @Test
    void heldInOrderUntilOpenThenPassedAtOnce() {
        gate.offer(0, "a");
        gate.offer(1, "b");
        assertEquals(List.of(), passed);

        gate.open();
        assertEquals(List.of("0:a", "1:b"), passed);

        gate.offer(0, "c");
        gate.open(); // a second description passes nothing twice
        assertEquals(List.of("0:a", "1:b", "0:c"), passed);
    }
}
