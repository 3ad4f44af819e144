package io.pistream.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network stage's figures, from the seconds its viewers report, and how the report shows them. */
class LinkStageTest {

    private static final LinkStage.Bucket BUCKET = new LinkStage.Bucket(3000, 3_500_000, 500);

    /**
     * A viewer at 30 frames/s that freezes for the first 5 s of a cap from 15 s to 45 s, then plays at 640x360
     * until 2 s after the lift, then at 1280x720 again.
     */
    private static LinkStage.Viewer adapting() {
        List<LinkStage.Second> seconds = new ArrayList<>();
        long frames = 0;
        long freezes = 0;
        for (int second = 1; second <= 60; second++) {
            boolean frozen = second >= 16 && second <= 20;
            boolean small = second > 20 && second <= 47;
            frames += frozen ? 0 : 30;
            if (second == 21) {
                freezes++;
            }
            // the wait that begins in the second ending at 16 s ends in the one ending at 21 s, after 5040 ms
            long longestGap = frozen ? second * 1000 - 15_000 : second == 21 ? 5040 : 40;
            long longestNewGap = frozen ? (second == 16 ? 1000 : 0) : 40;
            seconds.add(new LinkStage.Second(second * 1000L, frozen ? 0 : 30, small ? 640 : 1280, small ? 360 : 720,
                    small ? 550 : 1900, frames, freezes, freezes * 5.0, second, 0, second / 2, longestGap,
                    longestNewGap, small ? 1 : 0, small ? "down: 40 % of packets lost"
                    : second > 47 ? "up: clean link for 8 s" : "start on the top tier"));
        }
        return new LinkStage.Viewer("capped", true, true, "H264", 300, seconds);
    }

    private static LinkStage.Viewer steady() {
        List<LinkStage.Second> seconds = new ArrayList<>();
        for (int second = 1; second <= 60; second++) {
            seconds.add(new LinkStage.Second(second * 1000L, 30, 1280, 720, 1900, second * 30L, 0, 0, 0, 0, 0, 40, 40,
                    -1, null));
        }
        return new LinkStage.Viewer("open", true, true, "H264", 250, seconds);
    }

    @Test
    void timesAreCountedFromTheCapAndTheLiftToTheStartOfThreeSteadySeconds() {
        LinkStage.CapRun run = new LinkStage.CapRun("1 Mbit/s", 0, 15_000, 45_000, 60_000, adapting(), steady(), BUCKET);

        assertEquals(5000, run.steadyAfterCapMillis(), "frozen in the seconds ending at 16 to 20 s");
        assertEquals(20_000, run.settledAt());
        assertEquals(30, run.capped().meanFps(run.settledAt(), run.liftAt()), 0.01);
        assertEquals(40, run.capped().longestGapMillis(run.settledAt(), run.liftAt()),
                "the freeze at the cap ends in the first steady second, but began before it");
        assertEquals(5040, run.capped().longestGapMillis(run.capAt(), run.liftAt()), "the freeze at the cap");
        assertEquals(1, run.capped().growth(LinkStage.Second::freezeCount, run.capAt(), run.liftAt()));
        assertEquals(5.0, run.capped().freezeSeconds(run.capAt(), run.liftAt()), 0.001);
        assertEquals(Set.of("1280x720", "640x360"), run.capped().sizes(run.capAt(), run.liftAt()));
        assertEquals(2000, run.recoveryMillis(), "640x360 in the seconds ending at 46 and 47 s");
        assertEquals(Set.of("1280x720"), run.open().sizes(run.capAt(), run.liftAt()));
        assertEquals(List.of(0, 1), List.copyOf(run.capped().tiers(run.capAt(), run.liftAt())));
        assertEquals(Set.of(), run.open().tiers(run.capAt(), run.liftAt()), "a device that does not tell");
    }

    @Test
    void theDevicesMovesAreTheSecondsItToldOfANewTierOrReason() {
        List<LinkStage.Second> moves = adapting().moves();
        assertEquals(List.of(1000L, 21_000L, 48_000L), moves.stream().map(LinkStage.Second::at).toList());
        assertEquals("down: 40 % of packets lost", moves.get(1).tierReason());
        assertEquals(List.of(), steady().moves(), "a device that tells no tier made no move");
    }

    @Test
    void theSettledWindowStartsWithTheFirstSteadySecondWhenSamplesComeLessThanASecondApart() {
        // the viewer samples once a second, give or take: the second ending at 20 s came 5 ms late
        List<LinkStage.Second> seconds = new ArrayList<>(adapting().seconds());
        LinkStage.Second late = seconds.get(19);
        seconds.set(19, new LinkStage.Second(late.at() + 5, late.statsFps(), late.width(), late.height(), late.kbps(),
                late.framesDecoded(), late.freezeCount(), late.freezeSeconds(), late.nackCount(), late.pliCount(),
                late.packetsLost(), late.longestGapMillis(), late.longestNewGapMillis(), late.tier(),
                late.tierReason()));
        LinkStage.Viewer capped = new LinkStage.Viewer("capped", true, true, "H264", 300, seconds);
        LinkStage.CapRun run = new LinkStage.CapRun("1 Mbit/s", 0, 15_000, 45_000, 60_000, capped, steady(), BUCKET);

        assertEquals(5000, run.steadyAfterCapMillis());
        assertEquals(20_005, run.settledAt(), "the end of the last frozen second");
        assertEquals(40, run.capped().longestGapMillis(run.settledAt(), run.liftAt()),
                "the freeze at the cap, which ends in the first steady second, is not counted after settling");
    }

    @Test
    void aViewerThatNeverSettlesHasNoSteadyTimeAndIsJudgedFromTheTarget() {
        List<LinkStage.Second> seconds = new ArrayList<>();
        for (int second = 1; second <= 60; second++) {
            // 2 frames a second during the cap: not steady
            long frames = second <= 15 ? second * 30L : 450 + (second - 15) * 2L;
            seconds.add(new LinkStage.Second(second * 1000L, 0, 1280, 720, 900, frames, 0, 0, 0, 0, 0, 500, 500, 0,
                    null));
        }
        LinkStage.Viewer frozen = new LinkStage.Viewer("capped", true, true, "H264", 300, seconds);
        LinkStage.CapRun run = new LinkStage.CapRun("1 Mbit/s", 0, 15_000, 45_000, 60_000, frozen, steady(), BUCKET);

        assertEquals(-1, run.steadyAfterCapMillis());
        assertEquals(20_000, run.settledAt(), "5 s after the cap, the target");
        assertEquals(2, run.capped().meanFps(run.settledAt(), run.liftAt()), 0.01);
        assertEquals(-1, run.recoveryMillis());
    }

    @Test
    void theReportShowsBothViewersTheTargetsTheLossRunsAndThePlot(@TempDir Path folder) throws Exception {
        Results results = new Results();
        results.date = "2026-12-04";
        results.mode = "short";
        results.linkCap = new LinkStage.CapRun("1 Mbit/s", 0, 15_000, 45_000, 60_000, adapting(), steady(), BUCKET);
        results.linkLoss.add(new LinkStage.LossRun(true, 2, 0, 60_000, steady(), 25));
        results.linkLoss.add(new LinkStage.LossRun(false, 2, 0, 60_000, adapting(), 30));

        Path written = Report.write(results, folder, "network");
        String report = Files.readString(written);

        assertTrue(report.contains("## Network"), report);
        assertTrue(report.contains("| capped viewer, 1 Mbit/s cap, time to steady video (3 s at ≥ 20 frames/s) | "
                + "≤ 5000 ms | 5000 ms | 1.00 |"), report);
        assertTrue(report.contains("| capped viewer, lift of the cap to steady 1280x720 | ≤ 10000 ms | 2000 ms | "
                + "0.20 |"), report);
        assertTrue(report.contains("| open viewer, frames/s during the other's cap (sizes 1280x720) | ≥ 25 | "
                + "30 frames/s | 0.83 |"), report);
        assertTrue(report.contains("| capped | capped | 30 | 25.0 | 775.0 | 1280x720, 640x360 | 5040 | 1 | 30 | 0 | 15 "
                + "| 0, 1 |"), report);
        assertTrue(report.contains("| open | capped | 30 | 30.0 | 1900.0 | 1280x720 | 40 | 0 | 0 | 0 | 0 | - |"), report);
        assertTrue(report.contains("unchanged"), report);
        assertTrue(report.contains("sent on 3000 packets (3.5 MB) and dropped 500: what the device sent toward the "
                + "capped viewer, 117 packets/s"), report);
        assertTrue(report.contains("| 2 % | on | H264 with NACK and RTX | 60 |"), report);
        assertTrue(report.contains("| 2 % | off asked, **still offered** | H264 with NACK and RTX | 60 |"), report);
        assertFalse(report.contains("NaN"), report);
        assertTrue(Files.size(folder.resolve("2026-12-04-network-network.png")) > 0);
    }
}
