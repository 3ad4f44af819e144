package io.pistream.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run in which steps failed still has a report, and the report says first which steps failed and why. */
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
}
