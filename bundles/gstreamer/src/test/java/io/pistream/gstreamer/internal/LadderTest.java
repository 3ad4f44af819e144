package io.pistream.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.pistream.api.Tier;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.gstreamer.testing.TestToneSource;

import org.junit.jupiter.api.Test;

class LadderTest {

    @Test
    void theDefaultIsTwoTiersBelowTheTop() {
        assertEquals(List.of(new Tier(1, 640, 360, 600), new Tier(2, 320, 180, 150)), Ladder.DEFAULT.lower());
        assertEquals(Ladder.DEFAULT, Ladder.parse(Ladder.DEFAULT_TEXT));
    }

    @Test
    void parsesSizesAndBitratesWithSpacesAndAnyCase() {
        Ladder ladder = Ladder.parse(" 960 X 540 @ 1200 ,480x270@400,  160x90@60 ");
        assertEquals(List.of(new Tier(1, 960, 540, 1200), new Tier(2, 480, 270, 400), new Tier(3, 160, 90, 60)),
                ladder.lower());
        assertTrue(Ladder.parse("").lower().isEmpty(), "empty: only the top");
        assertTrue(Ladder.parse(null).lower().isEmpty());
    }

    @Test
    void badValuesNameTheKeyTheValueAndTheReason() {
        assertBad("640x360", "'640x360' is not WIDTHxHEIGHT@KBITS");
        assertBad("640x360@600,,320x180@150", "'' is not WIDTHxHEIGHT@KBITS");
        assertBad("640x360@fast", "'640x360@fast' is not WIDTHxHEIGHT@KBITS");
        assertBad("-640x360@600", "is not WIDTHxHEIGHT@KBITS");
        assertBad("641x360@600", "641x360 must be even sizes between 16x16 and 7680x4320");
        assertBad("8x8@600", "8x8 must be even");
        assertBad("640x360@5", "5 kbit/s must be between 10 and 100000");
        assertBad("320x180@150, 640x360@600", "640x360@600 must be smaller and at a lower bitrate than the tier above");
        assertBad("640x360@150, 320x180@600", "320x180@600 must be smaller and at a lower bitrate");
        assertBad("960x540@900,640x360@600,480x270@400,320x180@150,160x90@60", "at most 4 tiers below the top, got 5");
    }

    @Test
    void aSourcesLadderNamesTheSourceInItsError() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> Ladder.parse("big", "configuration of source 'cam'")).getMessage();
        assertEquals("Invalid configuration of source 'cam': video.tiers = 'big': 'big' is not WIDTHxHEIGHT@KBITS, "
                + "for example 640x360@600", message);
    }

    private static void assertBad(String value, String reason) {
        String message = assertThrows(IllegalArgumentException.class, () -> Ladder.parse(value)).getMessage();
        assertTrue(message.startsWith("Invalid io.pistream.hub configuration: video.tiers = '" + value.trim() + "': "),
                message);
        assertTrue(message.contains(reason), message);
    }

    @Test
    void aVideoSourceHasItsTopAtItsOwnSizeThenTheLadderAudioOnlyItsTop() {
        List<Tier> tiers = Ladder.DEFAULT.tiersOf(new TestPatternSource("cam", 1280, 720, 30));
        assertEquals(List.of(new Tier(0, 1280, 720, 0), new Tier(1, 640, 360, 600), new Tier(2, 320, 180, 150)),
                tiers);
        assertEquals(List.of(Tier.TOP), Ladder.DEFAULT.tiersOf(new TestToneSource("mic")));
    }

    @Test
    void aSmallSourceIsNotOfferedTiersThatWouldUpscaleIt() {
        assertEquals(List.of(new Tier(0, 640, 360, 0), new Tier(1, 320, 180, 150)),
                Ladder.DEFAULT.tiersOf(new TestPatternSource("cam", 640, 360, 30)), "its own size is its top");
        assertEquals(List.of(new Tier(0, 640, 480, 0), new Tier(1, 640, 360, 600), new Tier(2, 320, 180, 150)),
                Ladder.DEFAULT.tiersOf(new TestPatternSource("cam", 640, 480, 30)), "less tall is smaller");
        assertEquals(List.of(new Tier(0, 320, 240, 0), new Tier(1, 320, 180, 150)),
                Ladder.DEFAULT.tiersOf(new TestPatternSource("cam", 320, 240, 30)));
        assertEquals(List.of(new Tier(0, 160, 120, 0)),
                Ladder.DEFAULT.tiersOf(new TestPatternSource("cam", 160, 120, 30)), "too small for any tier");
    }

    @Test
    void readsSizesFromCapsTextWithOrWithoutTypes() {
        assertEquals(1280, Ladder.size("video/x-h264, width=(int)1280, height=(int)720", "width"));
        assertEquals(720, Ladder.size("video/x-h264, width=(int)1280, height=(int)720", "height"));
        assertEquals(320, Ladder.size("video/x-raw,width=320,height=180", "width"));
        assertEquals(0, Ladder.size("video/x-raw,framerate=30/1", "width"));
        assertEquals(0, Ladder.size(null, "height"));
    }

    @Test
    void scaledCapsReplaceTheSourceSize() {
        assertEquals("video/x-raw,format=I420,framerate=30/1,width=320,height=180", TierScaler.scaledCaps(
                "video/x-raw,format=I420,width=1280,height=720,framerate=30/1", new Tier(2, 320, 180, 150)));
    }
}
