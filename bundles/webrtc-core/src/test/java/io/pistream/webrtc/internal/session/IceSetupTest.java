package io.pistream.webrtc.internal.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A TURN server's credentials never reach the log. */
class IceSetupTest {

    @Test
    void credentialsAreRedacted() {
        assertEquals("turn://***@turn.example:3478", IceSetup.redactTurn("turn://user:s3cret@turn.example:3478"));
        assertEquals("turns://***@10.0.0.1:5349?transport=tcp",
                IceSetup.redactTurn("turns://u:p@10.0.0.1:5349?transport=tcp"));
        assertEquals("turn://turn.example:3478", IceSetup.redactTurn("turn://turn.example:3478"));
    }
}
