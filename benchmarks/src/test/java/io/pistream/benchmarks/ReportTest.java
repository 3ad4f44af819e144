package io.pistream.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run in which steps failed still has a report, and the report says first which steps failed and why; parts a run
 * left out are not in it.
 */
class ReportTest {

    @Test
    void failedStepsAreListedAtTheTopWithTheirReason(@TempDir Path folder) throws Exception {
        Results results = new Results();
        results.date = "2026-12-03";
        results.machine = "test machine";
        results.software = "test software";
        results.mode = "short";
        results.bootMillis.add(4200L);
        results.failed("first frames", new java.io.IOException("the WebRTC viewer process ended\nlast line: gone"));
        results.failed("signalling fuzz", new IllegalStateException("no answer"));

        String report = Files.readString(Report.write(results, folder));

        int failed = report.indexOf("## Failed steps");
        assertTrue(failed > 0, report);
        assertTrue(failed < report.indexOf("## Against the targets") && failed < report.indexOf("## Boot"),
                "failed steps come before every figure: " + report);
        assertTrue(report.contains("- **first frames**: IOException: the WebRTC viewer process ended; last line: gone"),
                report);
        assertTrue(report.contains("- **signalling fuzz**: IllegalStateException: no answer"), report);
        assertTrue(report.contains("| 1 | 4200 |"), "what the run measured is still reported: " + report);
    }

    @Test
    void aRunWithoutFailureSaysNothingAboutFailedSteps(@TempDir Path folder) throws Exception {
        Results results = new Results();
        results.date = "2026-12-03";
        results.mode = "short";
        assertTrue(!Files.readString(Report.write(results, folder)).contains("Failed steps"));
    }

    @Test
    void partsTheRunLeftOutHaveNoHeadingTableOrPlot(@TempDir Path folder) throws Exception {
        Results results = new Results();
        results.date = "2026-12-05";
        results.mode = "full, stages boot";
        results.bootMillis.add(6200L);
        results.restartMillis.add(3400L);

        String report = Files.readString(Report.write(results, folder, "boot-only"));

        assertTrue(report.contains("| 1 | 6200 | 3400 |"), report);
        for (String heading : new String[] {"## Glass-to-glass latency", "## Time to first frame", "## Cost per viewer"}) {
            assertTrue(!report.contains(heading), heading + " in " + report);
        }
        try (var files = Files.list(folder)) {
            assertEquals(List.of("2026-12-05-boot-only.md"), files.map(file -> file.getFileName().toString()).toList());
        }
    }

    @Test
    void anIdleFigureAloneHasItsSection(@TempDir Path folder) throws Exception {
        Results results = new Results();
        results.date = "2026-12-05";
        results.mode = "full, stages idle";
        results.idleCpuPercent = 0.5;
        results.idleRssMiB = 273;

        String report = Files.readString(Report.write(results, folder, "idle-only"));

        assertTrue(report.contains("## Cost per viewer\n\nContainer idle at the end of the run (whole platform, nothing "
                + "watched): 0.5 % CPU, 273 MiB RSS."), report);
        assertTrue(!report.contains("| viewers | mode |"), report);
    }

    @Test
    void theNativeFloorJudgesEachRoundAgainstItsOwnNativeRun(@TempDir Path folder) throws Exception {
        Results results = new Results();
        results.date = "2026-12-05";
        results.mode = "full, stages floor";
        // the machine ran faster in the first three rounds than in the last two; each round pistream took 10 % more
        results.floors.add(new Results.Floor("RTSP server, 10 clients", List.of(19.8, 19.8, 19.8, 26.4, 26.4),
                List.of(18.0, 18.0, 18.0, 24.0, 24.0), 270, 37));

        String report = Files.readString(Report.write(results, folder, "floor"));

        assertEquals(1.10, results.floors.get(0).ratio(), 1e-9);
        assertTrue(report.contains("| RTSP server, 10 clients | 19.8 / 19.8 / 19.8 / 26.4 / 26.4 | 18.0 / 18.0 / 18.0 / "
                + "24.0 / 24.0 | 1.10 | 270 | 37 |"), report);
        Results.Floor drifting = new Results.Floor("drift", List.of(22.0, 26.4, 19.8), List.of(24.0, 24.0, 18.0), 0, 0);
        assertEquals(1.10, drifting.ratio(), 1e-9, "the first round's native run was slow: one round of three, where "
                + "the medians of each side would give 22.0 / 24.0 = 0.92");
    }

    @Test
    void theMemoryBreakdownHasAColumnForEachTimeItWasTaken(@TempDir Path folder) throws Exception {
        Results results = new Results();
        results.date = "2026-12-05";
        results.mode = "full, stages idle";
        results.idleRssMiB = 240;
        Map<String, Double> resident = MemoryBreakdown.residentByKind(List.of());
        resident.put(MemoryBreakdown.ANONYMOUS, 150.0);
        results.memoryAfterBoot = new MemoryBreakdown(208, 98, resident, 50, 61, 12);
        results.memoryIdle = new MemoryBreakdown(240, 101, resident, 52, 63, 14);

        String report = Files.readString(Report.write(results, folder, "memory"));

        assertTrue(report.contains("| | 15 s after boot | idle at the end |\n|---|---|---|\n"
                + "| resident (RSS) | 208.0 | 240.0 |\n"), report);
        assertTrue(report.contains("| - " + MemoryBreakdown.ANONYMOUS + " | 150.0 | 150.0 |\n"), report);
        assertTrue(report.contains("| not counted by the JVM | 27.0 | 21.0 |\n| threads | 98 | 101 |\n"), report);
    }
}
