package io.pistream.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/**
 * The benchmark suite in its short mode against the distribution just built: every part runs (boot, stamped
 * latency through RTP, RTSP and Chromium, first frames, viewers, native floor, signalling fuzz, a viewer on a capped
 * and a lossy link beside one on an open link) and the report comes out with its tables and plots. The figures of a
 * short run are not judged, only that they were measured.
 */
class SuiteSmokeIT {

    @Test
    void theShortRunMeasuresEveryPartAndWritesTheReport() throws Exception {
        Path out = Path.of(System.getProperty("pistream.smoke.out"));
        List<String> log = new ArrayList<>();
        Suite suite = new Suite(new Suite.Options(Suite.Plan.quick(), Path.of(System.getProperty("pistream.archive")),
                Path.of(System.getProperty("pistream.latency.bundle")),
                Path.of(System.getProperty("pistream.webapp.dir")),
                Path.of(System.getProperty("pistream.native.source")), out), line -> {
                    System.out.println("bench: " + line);
                    log.add(line);
                });
        Path report = suite.run();
        Results results = suite.results();

        // the suite goes on past a failing step: here, where everything must work, none may fail
        assertEquals(List.of(), results.failedSteps, "failed steps");
        assertEquals(1, results.bootMillis.size());
        assertTrue(results.bootMillis.get(0) > 0);
        assertEquals(1, results.restartMillis.size());
        assertTrue(results.restartMillis.get(0) > 0);
        assertEquals(List.of("RTSP", "RTP/UDP", "WebRTC", "WHEP,", "Janus"), results.latencies.stream()
                .map(l -> l.receiver().split(" ")[0]).toList(), "RTSP, RTP, WebRTC in Chromium, WHEP and Janus");
        for (Results.Latency latency : results.latencies) {
            assertTrue(latency.millis().values().size() >= 30, latency.receiver() + ": " + latency);
            // stamped at capture, read after decoding on the same clock: positive and well under a second
            assertTrue(latency.millis().percentile(50) > 0 && latency.millis().max() < 2000,
                    latency.receiver() + ": " + latency.millis().values());
        }
        assertEquals(10, results.firstFrames.size(), "RTSP, WebRTC and WHEP cold and warm, RTSP back to back, "
                + "WebRTC with the default jitter buffer, Chromium, Janus: " + results.firstFrames);
        assertTrue(results.firstFrames.stream().anyMatch(f -> f.client().contains("back to back")), results
                .firstFrames.toString());
        assertTrue(results.firstFrames.stream().anyMatch(f -> f.client().contains("default 200 ms jitter buffer")),
                results.firstFrames.toString());
        assertTrue(results.firstFrames.stream().anyMatch(f -> f.client().startsWith("WHEP")), results.firstFrames
                .toString());
        assertTrue(results.firstFrames.stream().anyMatch(f -> f.client().startsWith("Janus")), results.firstFrames
                .toString());
        for (Results.FirstFrame first : results.firstFrames) {
            assertTrue(first.millis().values().stream().allMatch(ms -> ms > 0 && ms < 20_000), first.toString());
        }
        assertEquals(11, results.costs.size(), "5 modes (WHEP included) x 2 viewer counts, and the mix at scale");
        assertTrue(Report.targetsOf(results).stream().anyMatch(target -> target.what().equals(
                "CPU(4 viewers) / CPU(1), mix (half RTSP, half WebRTC)")), Report.targetsOf(results).toString());
        for (Results.Cost cost : results.costs) {
            assertEquals(null, cost.failure(), cost.toString());
            assertTrue(cost.cpuPercent() > 1 && cost.rssMiB() > 50, cost.toString());
        }
        assertEquals(3, results.floors.size(), "RTP, RTSP as shipped, RTSP shared");
        for (Results.Floor floor : results.floors) {
            assertTrue(floor.ratio() > 0.2 && floor.ratio() < 5, floor.toString());
        }
        // the idle container, and again once the garbage it held was collected and glibc's free memory given back
        assertTrue(results.idleRssMiB > 50, "idle RSS " + results.idleRssMiB);
        assertTrue(results.idleRssCollectedMiB > 50 && results.idleRssCollectedMiB <= results.idleRssMiB + 5,
                "idle RSS " + results.idleRssMiB + " MiB, after a full collection and a trim "
                        + results.idleRssCollectedMiB);
        // where the memory is: the kinds of mappings add up to the resident size, and the JVM's accounts are read
        for (MemoryBreakdown memory : new MemoryBreakdown[] {results.memoryAfterBoot, results.memoryIdle,
                results.memoryIdleCollected}) {
            assertTrue(memory != null, "a memory breakdown is missing");
            double kinds = memory.residentMiB().values().stream().mapToDouble(Double::doubleValue).sum();
            assertTrue(Math.abs(kinds - memory.rssMiB()) < memory.rssMiB() * 0.1, kinds + " MiB by kind: " + memory);
            assertTrue(memory.heapCommittedMiB() > 4 && memory.metaspaceCommittedMiB() > 20
                    && memory.codeCacheUsedMiB() > 1 && memory.threads() > 20, memory.toString());
        }
        // the quick churn: what viewers that came and went leave behind must be gone once the container settled
        assertEquals(List.of("RTSP", "WebRTC (signalling)", "WHEP"), results.churns.stream()
                .map(Churn.Outcome::protocol).toList());
        for (Churn.Outcome churn : results.churns) {
            assertEquals(null, churn.failure(), churn.toString());
            assertEquals(12, churn.cycles(), churn.toString());
            assertTrue(churn.after().threads() <= churn.before().threads() + Churn.THREAD_SLACK, "threads: " + churn);
            assertTrue(churn.after().openFiles() <= churn.before().openFiles() + Churn.FILE_SLACK, "files: " + churn);
            assertTrue(churn.after().pipelines() <= churn.before().pipelines(), "pipelines: " + churn);
        }
        // the quick soak: every viewer of every protocol kept getting frames all along
        Soak.Outcome soak = results.soak;
        assertNotNull(soak, "the soak ran");
        assertEquals(null, soak.failure(), soak.toString());
        assertEquals(5, soak.viewers().size(), soak.toString());
        for (Soak.Viewer viewer : soak.viewers()) {
            assertTrue(viewer.frames() / soak.seconds() > 20, "frames/s of " + viewer);
            // the full run's target is 1 s; a short run on a busy machine gets some slack
            assertTrue(viewer.longestGapMillis() < 2000, "longest gap of " + viewer);
            assertFalse(viewer.rates().isEmpty(), viewer.toString());
        }
        assertTrue(soak.rss().size() >= 3, soak.toString());
        // the quick network stage: both viewers watched before the cap, and the one on the open link kept its full
        // picture while the other's link was capped
        LinkStage.CapRun cap = results.linkCap;
        assertNotNull(cap, "the capped-link run of the network stage ran");
        for (LinkStage.Viewer viewer : List.of(cap.capped(), cap.open())) {
            assertTrue(viewer.growth(LinkStage.Second::framesDecoded, cap.startAt(), cap.capAt()) > 0,
                    "frames decoded before the cap by " + viewer);
        }
        assertEquals(java.util.Set.of("1280x720"), cap.open().sizes(cap.capAt(), cap.liftAt()), cap.open().toString());
        assertTrue(cap.open().meanFps(cap.capAt(), cap.liftAt()) > 20, "open viewer during the cap: " + cap.open());
        // the device moved the capped viewer down its quality ladder, and it watched on; the open one kept the top
        assertTrue(cap.capped().tiers(cap.capAt(), cap.liftAt()).stream().anyMatch(tier -> tier > 0),
                "the capped viewer was sent a lower tier during the cap: " + cap.capped());
        long secondHalf = cap.capAt() + (cap.liftAt() - cap.capAt()) / 2;
        assertTrue(cap.capped().growth(LinkStage.Second::framesDecoded, secondHalf, cap.liftAt()) > 0,
                "the capped viewer decodes in the second half of the cap: " + cap.capped());
        assertEquals(java.util.Set.of(0), cap.open().tiers(cap.capAt(), cap.liftAt()), cap.open().toString());
        assertEquals(List.of(true, false), results.linkLoss.stream().map(LinkStage.LossRun::producerNack).toList(),
                "the loss runs, producer NACK on and off");
        for (LinkStage.LossRun loss : results.linkLoss) {
            assertEquals(loss.producerNack(), loss.viewer().nack(), "NACK negotiated as configured: " + loss);
            assertTrue(loss.viewer().within(loss.startAt(), loss.endAt()).size() >= 5, loss.toString());
            assertTrue(loss.viewer().growth(LinkStage.Second::framesDecoded, loss.startAt(), loss.endAt()) > 0,
                    loss.toString());
        }
        Results.Fuzz fuzz = results.fuzz;
        assertNotNull(fuzz, "the signalling fuzz ran");
        SignallingFuzz.Outcome outcome = fuzz.outcome();
        assertTrue(outcome.messagesSent() > 0 && outcome.connections() > 0, outcome.toString());
        assertEquals(0, outcome.acceptedWithoutCredentials(), "no handshake without credentials accepted: " + outcome);
        assertTrue(outcome.refusedWith401() > 0, outcome.toString());
        assertTrue(fuzz.viewerFrames() > 0 && fuzz.rssBeforeMiB() > 50, fuzz.toString());
        if (fuzz.containerSurvived()) {
            assertTrue(outcome.messagesSent() >= 2000, outcome.toString());
            assertEquals(outcome.unauthenticatedAttempts(), outcome.refusedWith401(), "every handshake without "
                    + "credentials refused with 401: " + outcome);
        }
        // whether the device survived the fuzz is a figure of the report, as the others: not judged here

        String text = Files.readString(report);
        for (String heading : new String[] {"## Against the targets", "## Boot", "## Glass-to-glass latency",
            "## Time to first frame", "## Cost per viewer", "## Native floor", "## Churn", "## Soak",
            "## Signalling fuzz under load", "## Network",
            "Furthest from its target"}) {
            assertTrue(text.contains(heading), heading + " missing from " + report);
        }
        assertFalse(text.contains("NaN"), text);
        for (String plot : new String[] {"-latency.png", "-cpu-viewers.png", "-churn.png", "-soak.png",
            "-network.png"}) {
            Path png = report.resolveSibling(report.getFileName().toString().replace(".md", plot));
            assertTrue(text.contains(png.getFileName().toString()));
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " is not an image");
            assertEquals(900, image.getWidth());
        }
    }
}
