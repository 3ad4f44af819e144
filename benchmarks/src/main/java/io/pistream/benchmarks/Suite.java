package io.pistream.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.pistream.gstreamer.internal.GstInit;
import io.pistream.janus.testing.JanusServer;
import io.pistream.janus.testing.JanusViewer;
import io.pistream.webrtc.benchmark.ViewerProcess;

/**
 * The benchmark suite: boots the pistream distribution, measures glass-to-glass latency (RTP, RTSP, WebRTC in
 * Chromium), time to first frame, the container's CPU and memory against the number of viewers (shared encoder
 * and one encoder per viewer), and the native floor (the seed's gst-launch-1.0 pipeline, a C gst-rtsp-server
 * program) in the same run, then writes a Markdown report with plots. WHEP viewers are measured beside the
 * signalling ones, and glass-to-glass latency and first frame through Janus beside the direct paths.
 * <p>
 * Usage: {@code Suite [--short] [--stages S,...] [--soak-minutes M] [--name N] [--note TEXT] --archive A --latency-bundle J
 * --web-app D --native-source C --out DIR}; the stages, all by default, are {@link #STAGES}.
 */
public final class Suite {

    static final String PRODUCER_NAME = "pistream";
    /** The WebRTC producer's configuration. */
    static final String PRODUCER_PID = "io.pistream.webrtc";
    /** The network stage's video source, a test pattern of noise, and its configuration. */
    static final String NETWORK_SOURCE = "network";
    static final String NETWORK_SOURCE_PID = "io.pistream.camera-" + NETWORK_SOURCE;
    static final String STAMP_MOUNT = "/stamp";
    static final String SHARED_STAMP_MOUNT = "/stamp-shared";
    static final String PER_VIEWER_MOUNT = "/perviewer";
    static final String SIGNALLING_URL = "wss://127.0.0.1:8443/signalling";
    static final int RTP_PORT = 5600;
    static final String RTP_PUSH_PID = "io.pistream.rtp-bench";
    static final int NATIVE_RTSP_PORT = 8555;
    static final String WHEP_URL = "https://127.0.0.1:8443/whep/stamp";
    static final String METRICS_URL = "https://127.0.0.1:8443/metrics";
    static final String JANUS_PID = "io.pistream.janus-bench";
    /** The many-viewer run, apart from the mix counts so that its CPU is set against the mix with one viewer. */
    static final String MANY_VIEWERS_MODE = "mix at scale (half RTSP, half WebRTC)";
    static final long JANUS_MOUNTPOINT = 1001;
    /** The parts of the suite, in the order they run; {@code --stages} picks some (boot always runs once). */
    static final List<String> STAGES = List.of("boot", "latency", "first-frame", "whep", "cost", "janus", "network",
            "floor", "idle", "churn", "soak", "fuzz");
    /** The seed's capture and encoding, as pistream's H.264 encoder is configured by default. */
    static final List<String> SEED_ENCODE = List.of("videotestsrc", "is-live=true", "pattern=ball", "!",
            "video/x-raw,width=1280,height=720,framerate=30/1", "!", "videoconvert", "!", "video/x-raw,format=I420",
            "!", "x264enc", "tune=zerolatency", "speed-preset=ultrafast", "key-int-max=30", "bitrate=2000", "!",
            "video/x-h264,profile=constrained-baseline");

    /** How long each part runs: the full suite, or the short run that checks the harness itself. */
    record Plan(boolean isShort, int bootRuns, int latencyFrames, int firstFrameRuns, int[] viewerCounts,
            int warmupSeconds, int measureSeconds, int floorRounds, int fuzzMessages, int fuzzConnections,
            int unauthenticatedAttempts, int churnBatches, int churnBatchSize, int manyViewers, int soakSeconds,
            int soakWindowSeconds, LinkStage.Schedule link) {
        static Plan full() {
            // the security issue's fuzz: 100,000 messages and 1,000 handshakes, about two minutes; 1,000 viewers
            // coming and going per protocol, 10 at a time; 50 viewers at once; an hour of soak; a minute of a
            // capped link between 15 s and 45 s of an open one, and 30 s of loss with and without NACK; the native
            // floor alternates 5 times, since two rounds varied by more than the 5 % its targets judge
            return new Plan(false, 3, 300, 5, new int[] {1, 5, 10, 20}, 10, 15, 5, 100_000, 20, 1000, 100, 10, 50,
                    3600, 60, new LinkStage.Schedule(15, 60, 45, 30));
        }

        /** The same plan with a soak of another length. */
        Plan withSoakSeconds(int seconds) {
            return new Plan(isShort, bootRuns, latencyFrames, firstFrameRuns, viewerCounts, warmupSeconds,
                    measureSeconds, floorRounds, fuzzMessages, fuzzConnections, unauthenticatedAttempts, churnBatches,
                    churnBatchSize, manyViewers, seconds, soakWindowSeconds, link);
        }

        static Plan quick() {
            return new Plan(true, 1, 30, 1, new int[] {1, 2}, 2, 3, 1, 2000, 8, 50, 4, 3, 4, 40, 10,
                    new LinkStage.Schedule(8, 30, 25, 15));
        }
    }

    record Options(Plan plan, Path archive, Path latencyBundle, Path webApp, Path nativeSource, Path out,
            Set<String> stages, String name, String note) {
        Options(Plan plan, Path archive, Path latencyBundle, Path webApp, Path nativeSource, Path out) {
            this(plan, archive, latencyBundle, webApp, nativeSource, out, Set.copyOf(STAGES), "suite", null);
        }

        boolean runs(String stage) {
            return stages.contains(stage);
        }
    }

    private final Options options;
    private final Path work;
    private final Results results = new Results();
    private final Consumer<String> log;
    private Path nativeServer;

    Suite(Options options, Consumer<String> log) throws IOException {
        this.options = options;
        this.log = log;
        this.work = Files.createTempDirectory("pistream-benchmarks-");
    }

    public static void main(String[] args) throws Exception {
        Plan plan = Plan.full();
        Path archive = null;
        Path bundle = null;
        Path webApp = null;
        Path nativeSource = null;
        Path out = Path.of("benchmarks/results");
        Set<String> stages = new LinkedHashSet<>(STAGES);
        String name = "suite";
        String note = null;
        int soakMinutes = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--short" -> plan = Plan.quick();
                case "--archive" -> archive = Path.of(args[++i]);
                case "--latency-bundle" -> bundle = Path.of(args[++i]);
                case "--web-app" -> webApp = Path.of(args[++i]);
                case "--native-source" -> nativeSource = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--stages" -> {
                    stages = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                    if (!STAGES.containsAll(stages)) {
                        throw new IllegalArgumentException("stages are " + STAGES + ", not " + args[i]);
                    }
                }
                case "--name" -> name = args[++i];
                case "--note" -> note = args[++i];
                case "--soak-minutes" -> soakMinutes = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (soakMinutes > 0) {
            plan = plan.withSoakSeconds(soakMinutes * 60);
        }
        Path report = new Suite(new Options(plan, archive, bundle, webApp, nativeSource, out, stages, name, note),
                line -> System.out.println("bench: " + line)).run();
        System.out.println("bench: report written to " + report);
        System.exit(0);
    }

    Results results() {
        return results;
    }

    /** Runs everything and returns the report's path. */
    Path run() throws Exception {
        GstInit.ensure();
        Plan plan = options.plan();
        results.date = LocalDate.now().toString();
        results.mode = (plan.isShort() ? "short (harness check; figures not meaningful)" : "full")
                + (options.stages().containsAll(STAGES) ? "" : ", stages " + STAGES.stream().filter(options::runs)
                        .collect(java.util.stream.Collectors.joining(",")));
        results.machine = Machine.describe();
        results.software = Machine.software();
        results.note = options.note();
        results.loadBefore = Machine.load();
        if (options.runs("floor")) {
            step("native RTSP server build", () -> nativeServer = NativeRtspServer.build(options.nativeSource(), work));
        }
        Container[] booted = new Container[1];
        if (step("boot", () -> booted[0] = boot(plan, options.runs("boot") ? plan.bootRuns() : 1))) {
            Container container = booted[0];
            try {
                step("stamped stream ready", () -> container.awaitStream(STAMP_MOUNT, Duration.ofSeconds(60)));
                String[] found = new String[1];
                boolean measurable = step("container process", () -> found[0] = container.javaPid());
                String pid = found[0];
                if (measurable && options.runs("idle")) {
                    step("memory after boot", () -> {
                        // as long after the start as the idle figure is after the last stage (a trim has run)
                        Thread.sleep(plan.isShort() ? 2_000 : 15_000);
                        results.memoryAfterBoot = MemoryBreakdown.of(pid);
                    });
                }
                if (options.runs("latency")) {
                    step("latency", () -> latency(container, plan));
                }
                if (options.runs("first-frame")) {
                    step("RTSP first frames", () -> rtspFirstFrames(plan));
                }
                if (options.runs("first-frame") || options.runs("whep")) {
                    // the signalling path's first frame also runs with the WHEP stage, to sit beside it
                    step("WebRTC first frames", () -> webRtcFirstFrames(container, plan));
                }
                if (options.runs("whep")) {
                    step("WHEP first frames", () -> whepFirstFrames(container, plan));
                }
                if (options.runs("janus")) {
                    step("Janus", () -> janus(container, plan));
                }
                if (options.runs("network")) {
                    // before the steps that measure the container: it restarts the producer
                    step("network", () -> network(container, plan));
                }
                // the steps below measure the container's process
                if (measurable) {
                    if (options.runs("cost")) {
                        step("cost per viewer", () -> costPerViewer(container, pid, plan));
                    } else if (options.runs("whep")) {
                        step("WHEP cost per viewer", () -> whepCost(container, pid, plan));
                    }
                    if (options.runs("floor")) {
                        step("native floor", () -> floors(container, pid, plan));
                    }
                    if (options.runs("idle")) {
                        // last, so that the start-up work (class loading, JIT, first certificates) is long over
                        step("idle", () -> idle(pid, plan));
                    }
                    if (options.runs("churn")) {
                        // after the idle figures, whose baseline it would move if it leaked
                        step("churn", () -> churn(container, pid, plan));
                    }
                    if (options.runs("soak")) {
                        // after churn and before the fuzz, which is no part of a normal day
                        step("soak", () -> soak(container, pid, plan));
                    }
                    if (options.runs("fuzz")) {
                        // after the idle figures, which the garbage and connections of the fuzz would distort
                        step("signalling fuzz", () -> signallingFuzz(container, pid, plan));
                    }
                }
            } finally {
                container.close();
            }
        }
        results.loadAfter = Machine.load();
        Path report = Report.write(results, options.out(), options.name());
        if (System.getenv("PISTREAM_BENCH_KEEP_WORK") != null) {
            log.accept("kept " + work + " (PISTREAM_BENCH_KEEP_WORK)");
        } else if (results.failedSteps.isEmpty()) {
            deleteQuietly(work);
        } else {
            // the failed steps' reasons point into it (the container's log, Janus's log)
            log.accept("kept " + work + " for the failed steps");
        }
        return report;
    }

    /** A part of the run that may throw. */
    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs a step; when it throws, records it as failed, with its reason, so that the suite goes on with the next
     * step and the report still gets written. Returns whether it succeeded.
     */
    private boolean step(String name, Step step) throws InterruptedException {
        try {
            step.run();
            return true;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            results.failed(name, e);
            log.accept("step '" + name + "' failed, going on with the next one: " + e);
            return false;
        }
    }

    private void idle(String pid, Plan plan) throws Exception {
        // from 15 s after the last stage (5 s before 2026-12-05): the JVM gives what glibc keeps of freed memory back
        // every 10 s (bin/setenv), and an idle device has done so at least once
        Thread.sleep(15_000);
        Sample idle = Sample.measure(pid, plan.measureSeconds());
        results.idleCpuPercent = idle.cpuPercent();
        results.idleRssMiB = idle.maxRssMiB();
        log.accept(String.format(Locale.ROOT, "idle container: %.1f %% CPU, %.0f MiB", idle.cpuPercent(),
                idle.maxRssMiB()));
        // what of that is garbage the JVM and glibc hold on to: a full collection, then glibc's free memory given
        // back, as the JVM's own trim does every 10 s; after the idle figure, which stays as found
        try {
            results.memoryIdle = MemoryBreakdown.of(pid);
            Commands.jcmd(pid, "GC.run");
            Commands.jcmd(pid, "System.trim_native_heap");
            Thread.sleep(2000);
            results.idleRssCollectedMiB = ProcessStats.rssMiB(pid);
            results.memoryIdleCollected = MemoryBreakdown.of(pid);
            log.accept(String.format(Locale.ROOT, "idle container after a full collection and a trim: %.0f MiB",
                    results.idleRssCollectedMiB));
        } catch (IOException e) {
            // a JVM without jcmd (a bare runtime) leaves this figure out, not the idle one
            log.accept("idle container: no full collection and trim through jcmd: " + e.getMessage());
        }
    }

    private Container boot(Plan plan, int runs) throws Exception {
        Container container = null;
        for (int run = 1; run <= runs; run++) {
            if (container != null) {
                container.close();
            }
            container = Container.unpack(options.archive(), work.resolve("boot-" + run));
            configure(container);
            container.start();
            long ready = cameraReady(container);
            results.bootMillis.add(ready);
            log.accept("boot " + run + ": " + Container.rtspUrl("/camera") + " answered DESCRIBE after " + ready + " ms");
            container.close();
            container.start();
            long again = cameraReady(container);
            results.restartMillis.add(again);
            log.accept("boot " + run + ", restarted: " + Container.rtspUrl("/camera") + " answered DESCRIBE after "
                    + again + " ms");
        }
        return container;
    }

    /** Milliseconds from start until /camera is ready; a container that does not get there is stopped. */
    private static long cameraReady(Container container) throws Exception {
        try {
            return container.awaitStream("/camera", Duration.ofSeconds(120));
        } catch (Exception e) {
            container.close();
            throw e;
        }
    }

    /** The whole platform (feature pistream) plus the latency probe, set up through etc/ and deploy/. */
    private void configure(Container container) throws IOException {
        container.bootFeature("pistream");
        container.deploy(options.latencyBundle());
        // a short linger, so that "cold" first-frame runs do not wait 10 s for the capture to stop
        container.configure("io.pistream.hub", "linger.seconds = 2");
        // the shipped server with room for the 50-viewer run's 25 players (20 by default)
        container.configure("io.pistream.rtsp", "port = 8554", "tls.port = 8322", "address = 0.0.0.0",
                "protocols = udp,tcp", "latency.ms = 200", "session.timeout.s = 60", "max.players = 30");
        container.configure("io.pistream.rtsp.mount-stamp", "path = " + STAMP_MOUNT, "video = stamp", "audio =");
        container.configure("io.pistream.rtsp.mount-stampshared", "path = " + SHARED_STAMP_MOUNT, "video = stamp",
                "audio =", "shared = true");
        container.configure("io.pistream.rtsp.mount-perviewer", "path = " + PER_VIEWER_MOUNT, "shared = false",
                "launch = ( " + String.join(" ", SEED_ENCODE) + " ! rtph264pay name=pay0 pt=96 config-interval=-1 )");
        configureProducer(container, "stamp");
    }

    /**
     * The WebRTC producer of a video source: in H.264, sharing the RTSP encoder; up to 25 sessions for the
     * 20-viewer runs; plus {@code extra} lines.
     */
    private static void configureProducer(Container container, String video, String... extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of("signalling.url = " + SIGNALLING_URL,
                "trust.ca = ${karaf.etc}/pki/ca.crt", "name = " + PRODUCER_NAME, "video = " + video, "audio =",
                "codecs = H264", "max.sessions = 25"));
        lines.addAll(List.of(extra));
        container.configure(PRODUCER_PID, lines.toArray(String[]::new));
    }

    /**
     * A changed configuration restarts the producer: it leaves the signalling server and comes back under its name
     * with another id. Until then viewers would still meet the old one, which ends their sessions as it stops (on
     * a busy machine, more than 15 s after the file was written).
     */
    private static void reconfigureProducer(Container container, String video, String... extra) throws Exception {
        String before = awaitProducer(container);
        configureProducer(container, video, extra);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (awaitProducer(container).equals(before)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the producer did not restart within 120 s of its new configuration");
            }
            Thread.sleep(1000);
        }
    }

    /** The signalling server's list once it has the producer. */
    private static String awaitProducer(Container container) throws Exception {
        return new SignallingFuzz(SIGNALLING_URL, container.caCertificate(), container.viewerToken())
                .awaitProducer(PRODUCER_NAME, Duration.ofSeconds(120));
    }

    /**
     * Two viewers in Chromium, one of them on a link capped at 1 Mbit/s for a while (the other on an open link),
     * then that viewer alone with random loss on its link, the producer with NACK and retransmissions on and off.
     * The producer sends a test source of noise meanwhile: the stamped pattern compresses to about 200 kbit/s,
     * which no cap of 1 Mbit/s would touch, where noise takes all the encoder's bitrate (2 Mbit/s at the top), as
     * a busy scene from a camera does.
     */
    private void network(Container container, Plan plan) throws Exception {
        LinkStage.Schedule schedule = plan.link();
        container.configure(NETWORK_SOURCE_PID, "type = test", "pattern = snow");
        try (LinkStage stage = LinkStage.open(options.webApp(), container.caCertificate(), work, schedule,
                log)) {
            reconfigureProducer(container, NETWORK_SOURCE);
            step("network: capped link", () -> results.linkCap = stage.cap(schedule));
            step("network: loss, producer NACK on", () -> results.linkLoss.add(stage.loss(true, schedule)));
            step("network: loss, producer NACK off", () -> {
                reconfigureProducer(container, NETWORK_SOURCE, "nack = false");
                results.linkLoss.add(stage.loss(false, schedule));
            });
        } finally {
            reconfigureProducer(container, "stamp");
            container.unconfigure(NETWORK_SOURCE_PID);
        }
    }

    private void latency(Container container, Plan plan) throws Exception {
        int skip = 30; // the first second: key frame wait, encoder ramp-up
        try (StampReceiver receiver = StampReceiver.rtsp(Container.rtspUrl(STAMP_MOUNT))) {
            addLatency("RTSP (rtspsrc latency=0, GStreamer)",
                    receiver.collect(skip, plan.latencyFrames(), Duration.ofSeconds(60)));
        }
        try (StampReceiver receiver = StampReceiver.rtp(RTP_PORT, 96)) {
            startRtpPush(container);
            addLatency("RTP/UDP push (udpsrc, GStreamer)",
                    receiver.collect(skip, plan.latencyFrames(), Duration.ofSeconds(60)));
        } finally {
            container.unconfigure(RTP_PUSH_PID);
        }
        JsonNode browser = chromium(container, plan.latencyFrames(), plan.firstFrameRuns());
        List<Long> latencies = longs(browser.path("latenciesMs"));
        results.latencies.add(new Results.Latency("WebRTC (Chromium, requestVideoFrameCallback)",
                new Results.Distribution(latencies), browser.path("unreadable").asInt(),
                browser.path("width").asText() + "x" + browser.path("height").asText()));
        results.firstFrames.add(new Results.FirstFrame("WebRTC in Chromium (click to first frame shown)",
                new Results.Distribution(longs(browser.path("firstFrameMs")))));
        log.accept("Chromium latency: " + new Results.Distribution(latencies).percentile(50) + " ms p50");
        if (latencies.isEmpty()) {
            throw new IOException("Chromium read no stamped frame: " + browser);
        }
    }

    /** An RTP push of the stamped pattern to {@link #RTP_PORT} on loopback, configured as an operator would. */
    private static void startRtpPush(Container container) throws IOException {
        container.configure(RTP_PUSH_PID, "host = 127.0.0.1", "port = " + RTP_PORT, "video = stamp");
    }

    private void addLatency(String receiver, StampReceiver.Result result) throws IOException {
        if (result.latenciesMillis().isEmpty()) {
            throw new IOException(receiver + ": no stamped frame read (" + result.unreadable() + " unreadable)");
        }
        Results.Distribution millis = new Results.Distribution(result.latenciesMillis());
        results.latencies.add(new Results.Latency(receiver, millis, result.unreadable(), result.size()));
        log.accept(receiver + ": p50 " + millis.percentile(50) + " ms, p95 " + millis.percentile(95) + " ms over "
                + result.latenciesMillis().size() + " frames");
    }

    private JsonNode chromium(Container container, int frames, int sessions) throws Exception {
        awaitProducer(container);
        ProcessBuilder chromium = new ProcessBuilder("node", "e2e/latency.mjs", "https://localhost:8443/",
                container.caCertificate().toString(), Integer.toString(frames), Integer.toString(sessions))
                .directory(options.webApp().toFile()).redirectError(work.resolve("chromium.log").toFile());
        // the page's own login form, as a person logs in
        chromium.environment().put("PISTREAM_USER", Container.USER);
        chromium.environment().put("PISTREAM_PASSWORD", Container.PASSWORD);
        Process node = chromium.start();
        String output = new String(node.getInputStream().readAllBytes());
        if (node.waitFor() != 0) {
            throw new IOException("the Chromium run failed: " + Files.readString(work.resolve("chromium.log")));
        }
        return new ObjectMapper().readTree(output.lines().reduce((a, b) -> b).orElse("{}"));
    }

    /**
     * A new RTSP client: capture stopped, then joining a running capture one second after the one before (as
     * players come), then back to back: a client that comes within 200 ms of the last key frame forced for another
     * waits for the encoder's key-frame limit.
     */
    private void rtspFirstFrames(Plan plan) throws Exception {
        List<Long> cold = new ArrayList<>();
        List<Long> warm = new ArrayList<>();
        List<Long> backToBack = new ArrayList<>();
        String url = Container.rtspUrl(STAMP_MOUNT);
        for (int run = 0; run < plan.firstFrameRuns(); run++) {
            Thread.sleep(3500); // linger over: the capture is stopped
            cold.add(rtspFirstFrame(url));
        }
        try (ViewerProcess background = RtspViewers.start(url)) {
            background.add(1, false, 30_000);
            for (int run = 0; run < plan.firstFrameRuns(); run++) {
                Thread.sleep(1000);
                warm.add(rtspFirstFrame(url));
            }
            for (int run = 0; run < plan.firstFrameRuns(); run++) {
                backToBack.add(rtspFirstFrame(url));
            }
        }
        results.firstFrames.add(new Results.FirstFrame("RTSP, capture stopped (GStreamer client: start to first "
                + "decoded frame)", new Results.Distribution(cold)));
        results.firstFrames.add(new Results.FirstFrame("RTSP, capture running (another viewer; clients 1 s apart)",
                new Results.Distribution(warm)));
        results.firstFrames.add(new Results.FirstFrame("RTSP clients joining a running capture back to back",
                new Results.Distribution(backToBack)));
        log.accept("first frames: RTSP cold " + cold + " warm " + warm + " back to back " + backToBack);
    }

    /**
     * A new signalling session (webrtcbin viewer: startSession to first decoded frame), capture stopped and
     * running. The viewers' jitter buffer is 0, as rtspsrc's in the RTSP runs (webrtcbin's default of 200 ms is
     * the viewer's choice, measured once more on its own), and their process has played one session before the
     * runs that count: a JVM's first webrtcbin session loads and compiles classes for a few hundred ms, which a
     * browser or webrtcsrc does not pay for each session.
     */
    private void webRtcFirstFrames(Container container, Plan plan) throws Exception {
        try (ViewerProcess viewers = webRtcViewers(container, 0);
                ViewerProcess defaultJitter = webRtcViewers(container, -1)) {
            List<Long> cold = firstFrames(viewers, plan.firstFrameRuns(), true);
            try (ViewerProcess background = RtspViewers.start(Container.rtspUrl(STAMP_MOUNT))) {
                background.add(1, false, 30_000);
                List<Long> warm = firstFrames(viewers, plan.firstFrameRuns(), false);
                List<Long> warmDefaultJitter = firstFrames(defaultJitter, plan.firstFrameRuns(), false);
                results.firstFrames.add(new Results.FirstFrame("WebRTC, capture stopped (webrtcbin viewer, "
                        + "jitter buffer 0: startSession to first decoded frame)", new Results.Distribution(cold)));
                results.firstFrames.add(new Results.FirstFrame("WebRTC, capture running (another viewer)",
                        new Results.Distribution(warm)));
                results.firstFrames.add(new Results.FirstFrame("WebRTC with webrtcbin's default 200 ms jitter "
                        + "buffer, capture running", new Results.Distribution(warmDefaultJitter)));
                log.accept("first frames: WebRTC cold " + cold + " warm " + warm + ", warm with the default "
                        + "jitter buffer " + warmDefaultJitter);
            }
        }
    }

    /** A new WHEP session: POST of the offer to the first decoded frame, capture stopped and running. */
    private void whepFirstFrames(Container container, Plan plan) throws Exception {
        try (ViewerProcess viewers = WhepViewers.start(WHEP_URL, container.caCertificate(),
                container.viewerToken(), 0)) {
            List<Long> cold = firstFrames(viewers, plan.firstFrameRuns(), true);
            try (ViewerProcess background = RtspViewers.start(Container.rtspUrl(STAMP_MOUNT))) {
                background.add(1, false, 30_000);
                List<Long> warm = firstFrames(viewers, plan.firstFrameRuns(), false);
                results.firstFrames.add(new Results.FirstFrame("WHEP, capture stopped (webrtcbin player, jitter "
                        + "buffer 0: POST of the offer to first decoded frame)", new Results.Distribution(cold)));
                results.firstFrames.add(new Results.FirstFrame("WHEP, capture running (another viewer)",
                        new Results.Distribution(warm)));
                log.accept("first frames: WHEP cold " + cold + " warm " + warm);
            }
        }
    }

    /**
     * The first frames of {@code runs} sessions of a viewer process, one at a time, after one that does not count
     * (the process's first); with the capture stopped before each ({@code captureStopped}: the linger is over).
     */
    private static List<Long> firstFrames(ViewerProcess viewers, int runs, boolean captureStopped)
            throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int run = viewers.sessionsPlayed() == 0 ? -1 : 0; run < runs; run++) {
            if (captureStopped) {
                Thread.sleep(3500);
            }
            viewers.add(1, true, 30_000);
            long first = viewers.firstFrameMillis()[0];
            viewers.drop();
            if (run >= 0) {
                millis.add(first);
            }
        }
        return millis;
    }

    private static ViewerProcess whepViewers(Container container) throws IOException {
        return WhepViewers.start(WHEP_URL, container.caCertificate(), container.viewerToken());
    }

    /** webrtcbin viewers of the container's producer, in a process of their own. */
    private static ViewerProcess webRtcViewers(Container container) throws IOException {
        return webRtcViewers(container, -1);
    }

    /** As {@link #webRtcViewers(Container)}, with a jitter buffer of {@code jitterMillis} (-1: the default). */
    private static ViewerProcess webRtcViewers(Container container, int jitterMillis) throws IOException {
        return ViewerProcess.webRtc(SIGNALLING_URL, "name:" + PRODUCER_NAME, container.caCertificate(),
                container.viewerToken(), jitterMillis);
    }

    private static long rtspFirstFrame(String url) throws Exception {
        try (StampReceiver receiver = StampReceiver.rtsp(url)) {
            return receiver.collect(0, 1, Duration.ofSeconds(20)).firstFrameMillis();
        }
    }

    private void costPerViewer(Container container, String pid, Plan plan) throws Exception {
        String stampUrl = Container.rtspUrl(STAMP_MOUNT);
        String perViewerUrl = Container.rtspUrl(PER_VIEWER_MOUNT);
        for (int viewers : plan.viewerCounts()) {
            cost(pid, plan, "RTSP", viewers, viewers, 0, 0, stampUrl, container);
            cost(pid, plan, "WebRTC", viewers, 0, viewers, 0, stampUrl, container);
            if (options.runs("whep")) {
                cost(pid, plan, "WHEP", viewers, 0, 0, viewers, stampUrl, container);
            }
            cost(pid, plan, "mix (half RTSP, half WebRTC)", viewers, (viewers + 1) / 2, viewers / 2, 0, stampUrl,
                    container);
        }
        // the device's scale target: as many viewers again as the largest count, half of them RTSP
        int many = plan.manyViewers();
        cost(pid, plan, MANY_VIEWERS_MODE, many, (many + 1) / 2, many / 2, 0, stampUrl, container);
        // last: native memory that the many encoders take is not all given back, and would inflate the RSS of
        // the shared runs that came after
        for (int viewers : plan.viewerCounts()) {
            cost(pid, plan, "RTSP, one encoder per viewer", viewers, viewers, 0, 0, perViewerUrl, container);
        }
    }

    /** The WHEP stage on its own: signalling WebRTC and WHEP viewers, 1 and 10 (1 and 2 in a short run). */
    private void whepCost(Container container, String pid, Plan plan) throws Exception {
        String stampUrl = Container.rtspUrl(STAMP_MOUNT);
        for (int viewers : plan.isShort() ? new int[] {1, 2} : new int[] {1, 10}) {
            cost(pid, plan, "WebRTC", viewers, 0, viewers, 0, stampUrl, container);
            cost(pid, plan, "WHEP", viewers, 0, 0, viewers, stampUrl, container);
        }
    }

    private void cost(String pid, Plan plan, String mode, int viewers, int rtsp, int webRtc, int whep, String rtspUrl,
            Container container) throws Exception {
        Thread.sleep(3000); // what the last run started winds down
        // a viewer process only for the protocols a run uses: an idle JVM more on a machine the per-viewer encoders
        // saturate once ended mid-run ("the WebRTC viewer process ended" in an RTSP-only run)
        try (ViewerProcess rtspViewers = rtsp > 0 ? RtspViewers.start(rtspUrl) : null;
                ViewerProcess webRtcViewers = webRtc > 0 ? webRtcViewers(container) : null;
                ViewerProcess whepViewers = whep > 0 ? whepViewers(container) : null) {
            try {
                add(rtspViewers, rtsp);
                add(webRtcViewers, webRtc);
                add(whepViewers, whep);
            } catch (IOException e) {
                results.costs.add(new Results.Cost(mode, viewers, Double.NaN, Double.NaN, "", e.getMessage()));
                log.accept(mode + " x" + viewers + ": " + e.getMessage());
                return;
            }
            Thread.sleep(plan.warmupSeconds() * 1000L);
            long[] before = concat(concat(frames(rtspViewers), frames(webRtcViewers)), frames(whepViewers));
            Sample sample = Sample.measure(pid, plan.measureSeconds());
            long[] after = concat(concat(frames(rtspViewers), frames(webRtcViewers)), frames(whepViewers));
            double min = Double.MAX_VALUE;
            double max = 0;
            for (int i = 0; i < after.length; i++) {
                double perSecond = (after[i] - before[i]) / (double) plan.measureSeconds();
                min = Math.min(min, perSecond);
                max = Math.max(max, perSecond);
            }
            String fps = String.format(Locale.ROOT, "%.0f-%.0f", min, max);
            results.costs.add(new Results.Cost(mode, viewers, sample.cpuPercent(), sample.maxRssMiB(), fps, null));
            log.accept(String.format(Locale.ROOT, "%s x%d: %.1f %% CPU, %.0f MiB, %s frames/s", mode, viewers,
                    sample.cpuPercent(), sample.maxRssMiB(), fps));
        }
    }

    /** Starts {@code count} viewers in a process that may be absent (none asked for). */
    private static void add(ViewerProcess viewers, int count) throws IOException, InterruptedException {
        if (viewers != null) {
            viewers.add(count, false, 60_000);
        }
    }

    private static long[] frames(ViewerProcess viewers) throws IOException {
        return viewers == null ? new long[0] : viewers.frames();
    }

    static long[] concat(long[] a, long[] b) {
        long[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /**
     * Janus beside the direct paths: Debian's {@code janus} started as the Janus output's tests start it, the
     * container's Janus output configured through etc/ to publish the stamped source to it, then glass-to-glass
     * latency and first frame (watch to first decoded frame) through Janus, measured like the direct paths (the
     * same decoder and stamp reading; webrtcbin with no jitter-buffer delay, as rtspsrc latency=0), with the
     * direct WebRTC path (WHEP, the same webrtcbin client) and RTSP measured in the same minutes.
     */
    private void janus(Container container, Plan plan) throws Exception {
        if (!JanusServer.installed()) {
            throw new IOException("the Janus stage needs Debian's janus package (streaming plugin, HTTP transport)");
        }
        int skip = 30;
        if (!options.runs("latency")) {
            try (StampReceiver receiver = StampReceiver.rtsp(Container.rtspUrl(STAMP_MOUNT))) {
                addLatency("RTSP (rtspsrc latency=0, GStreamer)",
                        receiver.collect(skip, plan.latencyFrames(), Duration.ofSeconds(60)));
            }
        }
        java.net.http.HttpClient http = WhepViewers.http(container.caCertificate());
        StampReceiver.Tail whepTail = new StampReceiver.Tail();
        WhepViewers.Session whep = WhepViewers.Session.reading(http, java.net.URI.create(WHEP_URL),
                container.viewerToken(), whepTail);
        try (StampReceiver receiver = StampReceiver.fedBy(whepTail, whep::play, whep)) {
            addLatency("WHEP, direct WebRTC (webrtcbin latency=0, GStreamer)",
                    receiver.collect(skip, plan.latencyFrames(), Duration.ofSeconds(60)));
        }
        try (JanusServer janus = new JanusServer(Files.createDirectories(work.resolve("janus")))) {
            janus.start();
            container.configure(JANUS_PID, "url = " + janus.url(), "id = " + JANUS_MOUNTPOINT,
                    "description = benchmark", "video = stamp", "audio =", "admin.key = " + JanusServer.ADMIN_KEY);
            try {
                awaitJanusFrames(janus);
                List<Long> first = new ArrayList<>();
                for (int run = 0; run < plan.firstFrameRuns(); run++) {
                    first.add(janusFirstFrame(janus));
                }
                results.firstFrames.add(new Results.FirstFrame("Janus, device publishing (webrtcbin viewer of the "
                        + "streaming plugin: watch to first decoded frame)", new Results.Distribution(first)));
                log.accept("first frames: Janus " + first);
                StampReceiver.Tail tail = new StampReceiver.Tail();
                JanusViewer viewer = new JanusViewer(janus.url(), JANUS_MOUNTPOINT).latency(0).videoTail(tail);
                try (StampReceiver receiver = StampReceiver.fedBy(tail, viewer::start, viewer)) {
                    StampReceiver.Result result = receiver.collect(skip, plan.latencyFrames(), Duration.ofSeconds(60));
                    if (result.latenciesMillis().isEmpty()) {
                        throw new IOException("Janus: no stamped frame read; " + viewer.events() + "; Janus log "
                                + janus.log().toAbsolutePath());
                    }
                    addLatency("Janus streaming plugin (webrtcbin latency=0, GStreamer)", result);
                }
            } finally {
                container.unconfigure(JANUS_PID);
            }
        }
    }

    /** The output publishes once its configuration is read and Janus has made the mountpoint: up to 60 s. */
    private static void awaitJanusFrames(JanusServer janus) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> events = List.of();
        while (System.nanoTime() < deadline) {
            try (JanusViewer viewer = new JanusViewer(janus.url(), JANUS_MOUNTPOINT)) {
                viewer.start();
                long wait = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (viewer.videoFrames() == 0 && System.nanoTime() < wait) {
                    Thread.sleep(100);
                }
                if (viewer.videoFrames() > 0) {
                    return;
                }
                events = List.copyOf(viewer.events());
            }
            Thread.sleep(1000);
        }
        throw new IOException("no frame through Janus after 60 s: " + events + "; Janus log "
                + janus.log().toAbsolutePath());
    }

    private static long janusFirstFrame(JanusServer janus) throws Exception {
        try (JanusViewer viewer = new JanusViewer(janus.url(), JANUS_MOUNTPOINT)) {
            viewer.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (viewer.firstFrameMillis() < 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (viewer.firstFrameMillis() < 0) {
                throw new IOException("no frame through Janus within 20 s: " + viewer.events());
            }
            return viewer.firstFrameMillis();
        }
    }

    /** Viewers of each protocol coming and going: what the container keeps of them. */
    private void churn(Container container, String pid, Plan plan) throws Exception {
        Churn churn = new Churn(pid, WhepViewers.http(container.caCertificate()), URI.create(METRICS_URL),
                container.viewerToken(), log);
        List<Churn.Viewers> kinds = List.of(() -> RtspViewers.start(Container.rtspUrl(STAMP_MOUNT)),
                () -> webRtcViewers(container), () -> whepViewers(container));
        List<String> names = List.of("RTSP", "WebRTC (signalling)", "WHEP");
        for (int i = 0; i < kinds.size(); i++) {
            results.churns.add(churn.run(names.get(i), kinds.get(i), plan.churnBatches(), plan.churnBatchSize()));
        }
    }

    /** A few viewers of every protocol for a long time (an hour in the full run): gaps, frames/s and RSS. */
    private void soak(Container container, String pid, Plan plan) throws Exception {
        Thread.sleep(3000);
        List<Soak.Group> groups = List.of(
                new Soak.Group("RTSP", 2, () -> RtspViewers.start(Container.rtspUrl(STAMP_MOUNT))),
                new Soak.Group("WebRTC", 2, () -> webRtcViewers(container)),
                new Soak.Group("WHEP", 1, () -> whepViewers(container)));
        results.soak = new Soak(pid, log).run(groups, Duration.ofSeconds(plan.warmupSeconds()),
                Duration.ofSeconds(plan.soakSeconds()), Duration.ofSeconds(plan.soakWindowSeconds()));
    }

    /** pistream against native GStreamer programs doing the same job, alternated so that drift hits both. */
    private void floors(Container container, String pid, Plan plan) throws Exception {
        List<Double> pistream = new ArrayList<>();
        List<Double> seed = new ArrayList<>();
        double pistreamRss = 0;
        double seedRss = 0;
        for (int round = 0; round < plan.floorRounds(); round++) {
            Thread.sleep(3000);
            startRtpPush(container);
            try {
                Thread.sleep(plan.warmupSeconds() * 1000L);
                Sample sample = Sample.measure(pid, plan.measureSeconds());
                pistream.add(sample.cpuPercent());
                pistreamRss = Math.max(pistreamRss, sample.maxRssMiB());
            } finally {
                container.unconfigure(RTP_PUSH_PID);
            }
            Thread.sleep(3000);
            List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "-q"));
            command.addAll(SEED_ENCODE);
            command.addAll(List.of("!", "rtph264pay", "config-interval=-1", "!", "udpsink", "host=127.0.0.1",
                    "port=" + RTP_PORT, "sync=false"));
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true).start();
            try {
                Thread.sleep(plan.warmupSeconds() * 1000L);
                Sample sample = Sample.measure(Long.toString(process.pid()), plan.measureSeconds());
                seed.add(sample.cpuPercent());
                seedRss = Math.max(seedRss, sample.maxRssMiB());
            } finally {
                process.destroy();
                process.waitFor();
            }
        }
        results.floors.add(new Results.Floor("RTP push of 1280x720@30 H.264 (pistream container vs the seed's "
                + "gst-launch-1.0)", pistream, seed, pistreamRss, seedRss));
        int clients = plan.isShort() ? 2 : 10;
        List<Double> pistreamRtsp = new ArrayList<>();
        List<Double> pistreamSharedRtsp = new ArrayList<>();
        List<Double> nativeRtsp = new ArrayList<>();
        double pistreamRtspRss = 0;
        double pistreamSharedRtspRss = 0;
        double nativeRtspRss = 0;
        for (int round = 0; round < plan.floorRounds(); round++) {
            Thread.sleep(3000);
            Sample ours = viewersLoad(pid, Container.rtspUrl(STAMP_MOUNT), clients, plan);
            pistreamRtsp.add(ours.cpuPercent());
            pistreamRtspRss = Math.max(pistreamRtspRss, ours.maxRssMiB());
            Thread.sleep(3000);
            Sample oursShared = viewersLoad(pid, Container.rtspUrl(SHARED_STAMP_MOUNT), clients, plan);
            pistreamSharedRtsp.add(oursShared.cpuPercent());
            pistreamSharedRtspRss = Math.max(pistreamSharedRtspRss, oursShared.maxRssMiB());
            if (nativeServer == null) {
                throw new IOException("the native RTSP server was not built (see its failed step)");
            }
            try (NativeRtspServer server = NativeRtspServer.start(nativeServer, NATIVE_RTSP_PORT, "/seed",
                    String.join(" ", SEED_ENCODE) + " ! rtph264pay name=pay0 pt=96 config-interval=-1")) {
                Sample theirs = viewersLoad(server.pid(), "rtsp://127.0.0.1:" + NATIVE_RTSP_PORT + "/seed", clients,
                        plan);
                nativeRtsp.add(theirs.cpuPercent());
                nativeRtspRss = Math.max(nativeRtspRss, theirs.maxRssMiB());
            }
        }
        String against = " (pistream container vs native C gst-rtsp-server, shared media)";
        results.floors.add(new Results.Floor("RTSP server, " + clients + " clients, mount as shipped (shared = "
                + "false: a payloader per client)" + against, pistreamRtsp, nativeRtsp, pistreamRtspRss,
                nativeRtspRss));
        results.floors.add(new Results.Floor("RTSP server, " + clients + " clients, mount with shared = true" + against,
                pistreamSharedRtsp, nativeRtsp, pistreamSharedRtspRss, nativeRtspRss));
        results.floors.forEach(f -> log.accept(String.format(Locale.ROOT, "%s: ratio %.2f", f.job(), f.ratio())));
    }

    /**
     * The security issue's fuzz: malformed, random and oversize signalling messages from authenticated clients and
     * handshakes without credentials, while an RTSP viewer plays; what the viewer lost and the container's RSS.
     */
    private void signallingFuzz(Container container, String pid, Plan plan) throws Exception {
        Thread.sleep(3000);
        SignallingFuzz fuzz = new SignallingFuzz(SIGNALLING_URL, container.caCertificate(), container.viewerToken());
        try (ViewerProcess viewer = RtspViewers.start(Container.rtspUrl(STAMP_MOUNT))) {
            viewer.add(1, false, 30_000);
            Thread.sleep(plan.warmupSeconds() * 1000L);
            double rssBefore = ProcessStats.rssMiB(pid);
            FrameWatch watch = new FrameWatch(viewer, pid);
            watch.start();
            SignallingFuzz.Outcome outcome;
            try {
                outcome = fuzz.run(plan.fuzzMessages(), plan.fuzzConnections(), plan.unauthenticatedAttempts(),
                        LocalDate.now().toEpochDay());
            } finally {
                watch.finish();
            }
            long expected = Math.round(watch.seconds() * 30);
            Thread.sleep(5000); // the last connections close and their buffers are released
            String death = container.death();
            double rssAfter = death == null ? ProcessStats.rssMiB(pid) : Double.NaN;
            results.fuzz = new Results.Fuzz(outcome, watch.frames(), expected, watch.longestGapMillis(), rssBefore,
                    Math.max(rssBefore, watch.peakRssMiB()), rssAfter, death);
            if (death != null) {
                log.accept("signalling fuzz: THE CONTAINER DIED: " + death);
            }
            log.accept(String.format(Locale.ROOT, "signalling fuzz: %,d messages over %,d connections in %.1f s, "
                    + "%d of %d handshakes without credentials refused with 401 (answers by status %s), %,d errors "
                    + "received, closes by code %s; viewer %d of %d frames (longest gap %d ms); RSS %.0f -> %.0f "
                    + "(peak %.0f) MiB", outcome.messagesSent(), outcome.connections(), outcome.seconds(),
                    outcome.refusedWith401(), outcome.unauthenticatedAttempts(), outcome.handshakeAnswers(),
                    outcome.errorsReceived(), outcome.closesByCode(), watch.frames(), expected,
                    watch.longestGapMillis(), rssBefore, rssAfter, results.fuzz.rssPeakMiB()));
        }
    }

    /**
     * Polls a single viewer's frame count and the container's RSS every 100 ms while the fuzz runs: the viewer
     * tooling counts frames but keeps no times, so the longest gap is known to within the polling period.
     */
    private static final class FrameWatch extends Thread {
        private final ViewerProcess viewer;
        private final String pid;
        private volatile boolean running = true;
        private long firstFrames;
        private long lastFrames;
        private long startNanos;
        private long endNanos;
        private long longestGapNanos;
        private double peakRssMiB;
        private Exception failure;

        FrameWatch(ViewerProcess viewer, String pid) throws IOException {
            super("frame-watch");
            this.viewer = viewer;
            this.pid = pid;
            setDaemon(true);
            firstFrames = viewer.frames()[0];
            lastFrames = firstFrames;
            startNanos = System.nanoTime();
        }

        @Override
        public void run() {
            long lastNewFrameNanos = startNanos;
            try {
                while (running) {
                    Thread.sleep(100);
                    long frames = viewer.frames()[0];
                    long now = System.nanoTime();
                    // between two polls that saw new frames: the polling period when all is well
                    longestGapNanos = Math.max(longestGapNanos, now - lastNewFrameNanos);
                    if (frames > lastFrames) {
                        lastFrames = frames;
                        lastNewFrameNanos = now;
                    }
                    if (Files.exists(Path.of("/proc", pid))) { // the fuzz may kill it; the viewer's count goes on
                        peakRssMiB = Math.max(peakRssMiB, ProcessStats.rssMiB(pid));
                    }
                }
                lastFrames = viewer.frames()[0];
                endNanos = System.nanoTime();
            } catch (Exception e) {
                failure = e;
            }
        }

        /** Stops the polling and takes the last count; the figures below are read after this. */
        void finish() throws Exception {
            running = false;
            join();
            if (failure != null) {
                throw failure;
            }
        }

        long frames() {
            return lastFrames - firstFrames;
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        long longestGapMillis() {
            return longestGapNanos / 1_000_000;
        }

        double peakRssMiB() {
            return peakRssMiB;
        }
    }

    private static Sample viewersLoad(String pid, String url, int clients, Plan plan) throws Exception {
        try (ViewerProcess viewers = RtspViewers.start(url)) {
            viewers.add(clients, false, 60_000);
            Thread.sleep(plan.warmupSeconds() * 1000L);
            return Sample.measure(pid, plan.measureSeconds());
        }
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asLong()));
        return values;
    }

    private static void deleteQuietly(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder; nothing depends on it
        }
    }
}
