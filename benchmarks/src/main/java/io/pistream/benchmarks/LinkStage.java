package io.pistream.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Viewers of the web app in Chromium on links the suite shapes. The suite's network namespace has a veth pair: its
 * end {@value #DEVICE_INTERFACE} (10.213.0.1) stays, the other, {@value #FAR_INTERFACE}, is moved into a second
 * namespace made here, where it gets {@value #FAR_ADDRESS}: a viewer started in that namespace reaches the device
 * over the veth pair only, so what the suite does to {@value #DEVICE_INTERFACE}'s egress is that viewer's downlink
 * and nobody else's. Its rate is capped with a token bucket ({@code tc ... tbf}); random loss is an nftables rule
 * on the suite namespace's output hook. A second viewer on {@code localhost} watches at the same time on an open
 * link, to see what one viewer's poor link does to another's picture.
 * <p>
 * Each viewer is {@code web-app/e2e/link.mjs}, which prints the inbound video's statistics once a second.
 */
final class LinkStage implements AutoCloseable {

    /** How long each part runs. */
    record Schedule(int openSeconds, int capSeconds, int liftedSeconds, int lossSeconds) {
    }

    /**
     * One second of a viewer, as link.mjs reports it; {@code at} in epoch milliseconds; {@code tier} of the
     * device's quality ladder, -1 when the device does not tell, and {@code tierReason} why, as the device says it
     * (null when it does not); {@code longestNewGapMillis} the longest of the waits that began in this second (a wait
     * going on at its start may have begun before a window that starts then).
     */
    record Second(long at, double statsFps, int width, int height, int kbps, long framesDecoded, long freezeCount,
            double freezeSeconds, long nackCount, long pliCount, long packetsLost, long longestGapMillis,
            long longestNewGapMillis, int tier, String tierReason) {
        boolean fullSize() {
            return width == 1280 && height == 720;
        }
    }

    /** What one viewer saw, second by second; {@code nack} and {@code rtx} as negotiated for its video. */
    record Viewer(String name, boolean nack, boolean rtx, String codec, long firstFrameMillis, List<Second> seconds) {

        /** Frames decoded in the second that ends with sample {@code i}. */
        double fps(int i) {
            if (i == 0) {
                return seconds.get(0).statsFps();
            }
            Second before = seconds.get(i - 1);
            Second now = seconds.get(i);
            return (now.framesDecoded() - before.framesDecoded()) * 1000.0 / Math.max(1, now.at() - before.at());
        }

        /** The samples whose second ends after {@code from} and no later than {@code to}. */
        List<Integer> within(long from, long to) {
            List<Integer> indexes = new ArrayList<>();
            for (int i = 0; i < seconds.size(); i++) {
                if (seconds.get(i).at() > from && seconds.get(i).at() <= to) {
                    indexes.add(i);
                }
            }
            return indexes;
        }

        /**
         * Milliseconds from {@code from} to the start of the first second from which the video runs at 20
         * frames/s or more (at 1280x720 too when {@code fullSize}) for 3 seconds in a row; -1 when it never does
         * before {@code to}.
         */
        long steadyAfter(long from, long to, boolean fullSize) {
            int first = firstSteadySecond(from, to, fullSize);
            return first < 0 ? -1 : Math.max(0, seconds.get(first).at() - 1000 - from);
        }

        /** The index of the first of those steady seconds, -1 when there are none. */
        int firstSteadySecond(long from, long to, boolean fullSize) {
            List<Integer> window = within(from, to);
            for (int k = 0; k + STEADY_SECONDS <= window.size(); k++) {
                boolean steady = true;
                for (int j = k; j < k + STEADY_SECONDS && steady; j++) {
                    int i = window.get(j);
                    steady = fps(i) >= STEADY_FPS && (!fullSize || seconds.get(i).fullSize());
                }
                if (steady) {
                    return window.get(k);
                }
            }
            return -1;
        }

        double meanFps(long from, long to) {
            return within(from, to).stream().mapToDouble(this::fps).average().orElse(Double.NaN);
        }

        double meanKbps(long from, long to) {
            return within(from, to).stream().mapToInt(i -> seconds.get(i).kbps()).average().orElse(Double.NaN);
        }

        /**
         * The longest wait between two frames shown that began in the window: in its first second, a wait already
         * going on when that second began is the freeze before the window (the one the steady video ended).
         */
        long longestGapMillis(long from, long to) {
            List<Integer> window = within(from, to);
            long longest = -1;
            for (int k = 0; k < window.size(); k++) {
                Second second = seconds.get(window.get(k));
                longest = Math.max(longest, k == 0 ? second.longestNewGapMillis() : second.longestGapMillis());
            }
            return longest;
        }

        /** The frame sizes seen in the window, as WxH. */
        Set<String> sizes(long from, long to) {
            Set<String> sizes = new LinkedHashSet<>();
            within(from, to).forEach(i -> sizes.add(seconds.get(i).width() + "x" + seconds.get(i).height()));
            return sizes;
        }

        /** The tiers the device sent in the window, in the order first seen. */
        Set<Integer> tiers(long from, long to) {
            Set<Integer> tiers = new LinkedHashSet<>();
            within(from, to).stream().mapToInt(i -> seconds.get(i).tier()).filter(t -> t >= 0).forEach(tiers::add);
            return tiers;
        }

        /**
         * The seconds in which the device first told of a new tier or a new reason for the one it sends: its moves
         * (and its probes that did not move it), to a second or two (the web app asks every other second).
         */
        List<Second> moves() {
            List<Second> moves = new ArrayList<>();
            String last = null;
            synchronized (seconds) {
                for (Second second : seconds) {
                    if (second.tier() < 0 || second.tierReason() == null) {
                        continue;
                    }
                    String now = second.tier() + " " + second.tierReason();
                    if (!now.equals(last)) {
                        moves.add(second);
                        last = now;
                    }
                }
            }
            return moves;
        }

        /** How much a counter grew over the window (from the last sample before it). */
        long growth(ToLongFunction<Second> counter, long from, long to) {
            List<Integer> window = within(from, to);
            if (window.isEmpty()) {
                return 0;
            }
            int first = window.get(0);
            long base = counter.applyAsLong(seconds.get(first > 0 ? first - 1 : first));
            return counter.applyAsLong(seconds.get(window.get(window.size() - 1))) - base;
        }

        double freezeSeconds(long from, long to) {
            return growth(s -> Math.round(s.freezeSeconds() * 1000), from, to) / 1000.0;
        }
    }

    /**
     * Two viewers at once: open link from {@code startAt}, the capped viewer's downlink capped from {@code capAt}
     * to {@code liftAt}, open again until {@code endAt} (epoch milliseconds). {@code bucket}: what the token bucket
     * let through and dropped meanwhile.
     */
    record CapRun(String rate, long startAt, long capAt, long liftAt, long endAt, Viewer capped, Viewer open,
            Bucket bucket) {

        /** Cap to steady video for the capped viewer; -1 when it never got there during the cap. */
        long steadyAfterCapMillis() {
            return capped.steadyAfter(capAt, liftAt, false);
        }

        /**
         * From when the capped viewer counts as settled: the end of the second before its first steady one (so that
         * a window from there starts with that steady second, however far apart the samples came), else the target
         * (5 s after the cap).
         */
        long settledAt() {
            int first = capped.firstSteadySecond(capAt, liftAt, false);
            if (first < 0) {
                return capAt + SETTLE_TARGET_MILLIS;
            }
            return first == 0 ? capAt : Math.max(capAt, capped.seconds().get(first - 1).at());
        }

        /** Lift of the cap to the capped viewer's steady 1280x720 video; -1 when it never got there. */
        long recoveryMillis() {
            return capped.steadyAfter(liftAt, endAt, true);
        }
    }

    /** The token bucket's counters over the cap: packets and bytes it sent on, packets it dropped. */
    record Bucket(long sentPackets, long sentBytes, long droppedPackets) {
    }

    /** One viewer with random loss on its downlink; {@code dropped}: the packets the rule dropped. */
    record LossRun(boolean producerNack, int lossPercent, long startAt, long endAt, Viewer viewer, long dropped) {
    }

    static final String DEVICE_INTERFACE = "pistream-ns0";
    static final String FAR_INTERFACE = "pistream-ns1";
    static final String FAR_ADDRESS = "10.213.0.2/24";
    /** The device as the far viewer reaches it: the suite namespace's end of the veth pair. */
    static final String FAR_APP_URL = "https://10.213.0.1:8443/";
    static final String NEAR_APP_URL = "https://localhost:8443/";
    static final String CAP_RATE = "1mbit";
    static final int LOSS_PERCENT = 2;
    static final String LOSS_TABLE = "pistream_loss";
    static final int STEADY_SECONDS = 3;
    static final double STEADY_FPS = 20;
    static final long SETTLE_TARGET_MILLIS = 5000;
    private static final Duration FIRST_FRAMES = Duration.ofSeconds(90);
    private static final Duration COMMAND = Duration.ofSeconds(20);
    private static final Duration SESSION_LOST = Duration.ofSeconds(10);

    private final Path webApp;
    private final Path caCertificate;
    private final Path work;
    private final Consumer<String> log;
    private Process farNamespace;

    private LinkStage(Path webApp, Path caCertificate, Path work, Consumer<String> log) {
        this.webApp = webApp;
        this.caCertificate = caCertificate;
        this.work = work;
        this.log = log;
    }

    /**
     * Makes the far namespace and moves the veth end into it. Only inside the suite's own network namespace: the
     * shaping below must never touch the machine's interfaces.
     */
    static LinkStage open(Path webApp, Path caCertificate, Path work, Schedule schedule, Consumer<String> log)
            throws Exception {
        if (!"made".equals(System.getenv("PISTREAM_NETWORK_NAMESPACE"))) {
            throw new IOException("the network stage shapes links and runs only in the suite's own network "
                    + "namespace (testing/network-namespace/bin/java, as benchmarks/run.sh starts it)");
        }
        LinkStage stage = new LinkStage(webApp, caCertificate, work, log);
        try {
            stage.makeFarNamespace(schedule);
            return stage;
        } catch (Exception e) {
            stage.close();
            throw e;
        }
    }

    private void makeFarNamespace(Schedule schedule) throws Exception {
        Commands.run(COMMAND, "ip", "link", "show", FAR_INTERFACE);
        // a process that only holds the namespace: viewers join it with nsenter, and the veth end is moved back
        // before it ends (a namespace that goes takes its veth end, and the pair's other end, with it); it ends by
        // itself a while after the stage, should the suite not end it
        int bound = schedule.openSeconds() + schedule.capSeconds() + schedule.liftedSeconds()
                + 2 * schedule.lossSeconds() + 900;
        farNamespace = new ProcessBuilder("unshare", "--net", "--", "sleep", Integer.toString(bound))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String ours = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        long deadline = System.nanoTime() + COMMAND.toNanos();
        Path theirs = Path.of("/proc", Long.toString(farNamespace.pid()), "ns", "net");
        while (Files.readSymbolicLink(theirs).toString().equals(ours)) {
            if (!farNamespace.isAlive() || System.nanoTime() > deadline) {
                throw new IOException("unshare --net made no network namespace");
            }
            Thread.sleep(20);
        }
        Commands.run(COMMAND, "ip", "link", "set", FAR_INTERFACE, "netns", Long.toString(farNamespace.pid()));
        far("ip", "link", "set", "lo", "up");
        far("ip", "address", "add", FAR_ADDRESS, "dev", FAR_INTERFACE);
        far("ip", "link", "set", FAR_INTERFACE, "up");
        log.accept("network: " + FAR_INTERFACE + " (" + FAR_ADDRESS + ") in namespace of process "
                + farNamespace.pid());
    }

    private String far(String... command) throws Exception {
        return Commands.run(COMMAND, inFar(command).toArray(String[]::new));
    }

    private List<String> inFar(String... command) {
        List<String> all = new ArrayList<>(List.of("nsenter", "--target", Long.toString(farNamespace.pid()), "--net",
                "--"));
        all.addAll(List.of(command));
        return all;
    }

    /**
     * Both viewers watch on open links, then the far one's downlink is capped at {@value #CAP_RATE}, then the cap
     * is lifted.
     */
    CapRun cap(Schedule schedule) throws Exception {
        int total = schedule.openSeconds() + schedule.capSeconds() + schedule.liftedSeconds();
        try (Watcher capped = watcher("capped", true, total); Watcher open = watcher("open", false, total)) {
            capped.awaitFrames(FIRST_FRAMES);
            open.awaitFrames(FIRST_FRAMES);
            long startAt = System.currentTimeMillis();
            hold(schedule.openSeconds(), capped, open);
            long capAt = System.currentTimeMillis();
            Bucket bucket;
            Commands.run(COMMAND, "tc", "qdisc", "replace", "dev", DEVICE_INTERFACE, "root", "tbf", "rate", CAP_RATE,
                    "burst", "32kbit", "latency", "300ms");
            try {
                log.accept("network: " + DEVICE_INTERFACE + " capped at " + CAP_RATE);
                hold(schedule.capSeconds(), capped, open);
            } finally {
                bucket = bucket();
                liftCap();
            }
            long liftAt = System.currentTimeMillis();
            log.accept("network: cap lifted (the token bucket sent " + bucket.sentPackets() + " packets on and dropped "
                    + bucket.droppedPackets() + ")");
            hold(schedule.liftedSeconds(), capped, open);
            long endAt = System.currentTimeMillis();
            CapRun run = new CapRun(CAP_RATE.replace("mbit", " Mbit/s"), startAt, capAt, liftAt, endAt,
                    capped.finish(), open.finish(), bucket);
            log.accept(String.format(Locale.ROOT, "network: capped viewer steady %d ms after the cap at %.1f "
                    + "frames/s (longest freeze %d ms), back to 1280x720 %d ms after the lift; open viewer %.1f "
                    + "frames/s at %s during the cap", run.steadyAfterCapMillis(),
                    run.capped().meanFps(run.settledAt(), liftAt),
                    run.capped().longestGapMillis(run.settledAt(), liftAt), run.recoveryMillis(),
                    run.open().meanFps(capAt, liftAt), run.open().sizes(capAt, liftAt)));
            return run;
        }
    }

    /** The far viewer alone, with {@value #LOSS_PERCENT} % of the UDP packets to it dropped at random. */
    LossRun loss(boolean producerNack, Schedule schedule) throws Exception {
        try (Watcher viewer = watcher("loss-nack-" + (producerNack ? "on" : "off"), true, schedule.lossSeconds())) {
            viewer.awaitFrames(FIRST_FRAMES);
            long dropped;
            Commands.run(COMMAND, "nft", "add", "table", "inet", LOSS_TABLE);
            long startAt;
            try {
                Commands.run(COMMAND, "nft", "add", "chain", "inet", LOSS_TABLE, "output",
                        "{ type filter hook output priority 0; }");
                Commands.run(COMMAND, "nft", "add", "rule", "inet", LOSS_TABLE, "output", "oifname",
                        "\"" + DEVICE_INTERFACE + "\"", "meta", "l4proto", "udp", "numgen", "random", "mod", "100",
                        "<", Integer.toString(LOSS_PERCENT), "counter", "drop");
                startAt = System.currentTimeMillis();
                hold(schedule.lossSeconds(), viewer);
            } finally {
                dropped = lossDrops();
                removeLoss();
            }
            long endAt = System.currentTimeMillis();
            LossRun run = new LossRun(producerNack, LOSS_PERCENT, startAt, endAt, viewer.finish(), dropped);
            Viewer seen = run.viewer();
            log.accept(String.format(Locale.ROOT, "network: %d %% loss, producer NACK %s (negotiated: nack %s, rtx "
                    + "%s): %.1f frames/s, %d freezes, longest %d ms, %d NACKs, %d PLIs, %d packets lost, %d dropped",
                    LOSS_PERCENT, producerNack ? "on" : "off", seen.nack(), seen.rtx(), seen.meanFps(startAt, endAt),
                    seen.growth(Second::freezeCount, startAt, endAt), seen.longestGapMillis(startAt, endAt),
                    seen.growth(Second::nackCount, startAt, endAt), seen.growth(Second::pliCount, startAt, endAt),
                    seen.growth(Second::packetsLost, startAt, endAt), dropped));
            return run;
        }
    }

    /** Waits, checking that every viewer still runs. */
    private static void hold(int seconds, Watcher... watchers) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(500, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            for (Watcher watcher : watchers) {
                watcher.checkAlive();
            }
        }
    }

    private Watcher watcher(String name, boolean far, int seconds) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", "e2e/link.mjs", far ? FAR_APP_URL : NEAR_APP_URL,
                caCertificate.toAbsolutePath().toString(), Integer.toString(seconds + 300)));
        // bounded: it ends by itself a while after the run, should the suite not stop it
        ProcessBuilder builder = new ProcessBuilder(far ? inFar(command.toArray(String[]::new)) : command)
                .directory(webApp.toFile()).redirectError(work.resolve("link-" + name + ".log").toFile());
        builder.environment().put("PISTREAM_USER", Container.USER);
        builder.environment().put("PISTREAM_PASSWORD", Container.PASSWORD);
        return new Watcher(name, builder.start(), work.resolve("link-" + name + ".log"));
    }

    /** From {@code tc -s}: "Sent 123 bytes 4 pkt (dropped 5, ...". */
    private static Bucket bucket() {
        try {
            Matcher counters = Pattern.compile("Sent (\\d+) bytes (\\d+) pkt \\(dropped (\\d+)").matcher(
                    Commands.run(COMMAND, "tc", "-s", "qdisc", "show", "dev", DEVICE_INTERFACE));
            if (counters.find()) {
                return new Bucket(Long.parseLong(counters.group(2)), Long.parseLong(counters.group(1)),
                        Long.parseLong(counters.group(3)));
            }
        } catch (Exception e) {
            // counters are a detail of the report: -1 says they could not be read
        }
        return new Bucket(-1, -1, -1);
    }

    private long lossDrops() {
        try {
            Matcher packets = Pattern.compile("counter packets (\\d+)").matcher(Commands.run(COMMAND, "nft", "list",
                    "table", "inet", LOSS_TABLE));
            return packets.find() ? Long.parseLong(packets.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static void liftCap() throws InterruptedException {
        try {
            Commands.run(COMMAND, "tc", "qdisc", "del", "dev", DEVICE_INTERFACE, "root");
        } catch (IOException e) {
            // none was set
        }
    }

    private static void removeLoss() throws InterruptedException {
        try {
            Commands.run(COMMAND, "nft", "delete", "table", "inet", LOSS_TABLE);
        } catch (IOException e) {
            // none was made
        }
    }

    /** Lifts any shaping and moves the veth end back, so the suite namespace has its pair as before. */
    @Override
    public void close() throws InterruptedException {
        liftCap();
        removeLoss();
        if (farNamespace == null) {
            return;
        }
        try {
            far("ip", "link", "set", FAR_INTERFACE, "netns", Long.toString(ProcessHandle.current().pid()));
            Commands.run(COMMAND, "ip", "link", "set", FAR_INTERFACE, "up");
        } catch (Exception e) {
            log.accept("network: could not move " + FAR_INTERFACE + " back: " + e.getMessage());
        }
        farNamespace.destroy();
        farNamespace.waitFor(10, TimeUnit.SECONDS);
    }

    /** A link.mjs process and the seconds it printed. */
    private static final class Watcher implements AutoCloseable {
        private final String name;
        private final Process process;
        private final Path log;
        private final List<Second> seconds = new ArrayList<>();
        private final Thread reader;
        private volatile JsonNode watching;
        /** The connection state of the last line, and when the last line with the video's figures came. */
        private volatile String connection = "none";
        private volatile long lastVideoNanos;

        Watcher(String name, Process process, Path log) {
            this.name = name;
            this.process = process;
            this.log = log;
            this.reader = new Thread(this::read, "link-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.startsWith("{")) {
                        continue;
                    }
                    JsonNode node = json.readTree(line);
                    if (node.has("event")) {
                        watching = node;
                        continue;
                    }
                    connection = node.path("connection").asText();
                    if (node.has("framesDecoded")) {
                        lastVideoNanos = System.nanoTime();
                        Second second = new Second(node.path("t").asLong(), node.path("fps").asDouble(),
                                node.path("width").asInt(), node.path("height").asInt(), node.path("kbps").asInt(),
                                node.path("framesDecoded").asLong(), node.path("freezeCount").asLong(),
                                node.path("totalFreezesDuration").asDouble(), node.path("nackCount").asLong(),
                                node.path("pliCount").asLong(), node.path("packetsLost").asLong(),
                                node.path("longestGapMs").asLong(),
                                node.path("longestNewGapMs").asLong(node.path("longestGapMs").asLong()),
                                node.path("tier").asInt(-1),
                                node.path("tierReason").isTextual() ? node.path("tierReason").asText() : null);
                        synchronized (seconds) {
                            seconds.add(second);
                        }
                    }
                }
            } catch (IOException e) {
                // the process ended; checkAlive says so
            }
        }

        /** Until the viewer shows frames and has reported a second with decoded frames. */
        void awaitFrames(Duration patience) throws Exception {
            long deadline = System.nanoTime() + patience.toNanos();
            while (watching == null || lastDecoded() == 0) {
                checkAlive();
                if (System.nanoTime() > deadline) {
                    throw new IOException("the " + name + " viewer showed no frame within " + patience.toSeconds()
                            + " s; " + tail());
                }
                Thread.sleep(200);
            }
        }

        private long lastDecoded() {
            synchronized (seconds) {
                return seconds.isEmpty() ? 0 : seconds.get(seconds.size() - 1).framesDecoded();
            }
        }

        /** The viewer still runs and, once it had video, still has its session (frozen or not). */
        void checkAlive() throws IOException {
            if (!process.isAlive()) {
                throw new IOException("the " + name + " viewer (Chromium) ended with " + process.exitValue() + "; "
                        + tail());
            }
            if (lastVideoNanos != 0 && System.nanoTime() - lastVideoNanos > SESSION_LOST.toNanos()) {
                throw new IOException("the " + name + " viewer has had no video statistics for "
                        + SESSION_LOST.toSeconds() + " s: its WebRTC session ended (peer connection " + connection
                        + "); " + tail());
            }
        }

        private String tail() throws IOException {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return "its log " + log + " ends: " + String.join(" / ",
                    lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        }

        /** Stops the viewer and returns what it saw. */
        Viewer finish() throws InterruptedException {
            close();
            reader.join(5000);
            JsonNode event = watching;
            synchronized (seconds) {
                return new Viewer(name, event.path("nack").asBoolean(), event.path("rtx").asBoolean(),
                        event.path("codec").asText(), event.path("firstFrameMs").asLong(), List.copyOf(seconds));
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // link.mjs closes its browser on SIGTERM
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
