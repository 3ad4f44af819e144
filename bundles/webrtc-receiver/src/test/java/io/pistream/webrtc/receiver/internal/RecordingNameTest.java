package io.pistream.webrtc.receiver.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A producer's name, which its peer chose, never leaves the recording directory or starts a hidden file. */
class RecordingNameTest {

    @Test
    void onlySafeCharactersAndNoLeadingDotOrUnderscore() {
        assertEquals("etc_passwd", Recording.safe("../../etc/passwd"));
        assertEquals("WebClient-1_Kitchen_", Recording.safe("WebClient-1 (Kitchen)"));
        assertEquals("producer", Recording.safe("..."));
        assertEquals("producer", Recording.safe(null));
        assertEquals(48, Recording.safe("x".repeat(100)).length());
    }
}
