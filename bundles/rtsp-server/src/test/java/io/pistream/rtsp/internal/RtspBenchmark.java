package io.pistream.rtsp.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;

/**
 * Benchmark, not a test: time to first decoded frame, CPU and RSS with 1 and 10 RTSP clients of a 1280x720@30
 * H.264 stream (x264 ultrafast, 2 Mbit/s, key frame every second), for
 * <ol>
 * <li>a hub mount of this bundle (capture and encoder in the media hub, one light media per client), and the
 * same mount shared (one media for all clients),</li>
 * <li>a launch mount of this bundle serving the same pipeline as one shared media (our JNA layer, no hub),</li>
 * <li>{@code bench/test-launch.c}, a native gst-rtsp-server program serving the same launch line shared.</li>
 * </ol>
 * The Java server runs in this JVM (its CPU and RSS include the JVM); the native one is a child process. Clients
 * are {@code gst-launch-1.0} processes, not counted. Run with {@code bench/run.sh}.
 *
 * <p>Arguments: path of the compiled test-launch, warm-up seconds, measure seconds, report file (optional).
 */
public final class RtspBenchmark {

    static final String LAUNCH = "( videotestsrc is-live=true pattern=ball ! video/x-raw,width=1280,height=720,"
            + "framerate=30/1 ! videoconvert ! video/x-raw,format=I420 ! queue max-size-buffers=3 "
            + "max-size-bytes=0 max-size-time=0 leaky=downstream ! x264enc tune=zerolatency speed-preset=ultrafast "
            + "key-int-max=30 bitrate=2000 ! video/x-h264,profile=constrained-baseline ! h264parse "
            + "config-interval=-1 ! rtph264pay name=pay0 pt=96 config-interval=-1 )";
    private static final int FIRST_FRAME_RUNS = 5;

    private final String nativeServer;
    private final int warmupSeconds;
    private final int measureSeconds;
    private final List<String> rows = new ArrayList<>();

    private RtspBenchmark(String nativeServer, int warmupSeconds, int measureSeconds) {
        this.nativeServer = nativeServer;
        this.warmupSeconds = warmupSeconds;
        this.measureSeconds = measureSeconds;
    }

    public static void main(String[] args) throws Exception {
        String nativeServer = args.length > 0 ? args[0] : "target/bench/test-launch";
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int measure = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        RtspBenchmark benchmark = new RtspBenchmark(nativeServer, warmup, measure);
        benchmark.run();
        String report = benchmark.report();
        System.out.println(report);
        if (args.length > 3) {
            Files.writeString(Path.of(args[3]), report);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        String self = Long.toString(ProcessHandle.current().pid());
        MediaHubCore hub = MediaHubCore.create(10_000);
        hub.addEncoder(TestEncoders.h264(30), 0);
        TestPatternSource camera = new TestPatternSource("cam", 1280, 720, 30);
        hub.addSource(camera);
        // authentication off: this measures media, and the native server it is compared with has none
        TestAccessControl open = new TestAccessControl();
        open.enforce(false);
        RtspServer server = new RtspServer(ServerSettings.loopback(), hub, open);
        server.start();
        try (RtspServer.Registration hubMount = server.addMount(MountSpec.hub("camera", "/camera", "cam", null, null,
                false));
                RtspServer.Registration sharedMount = server.addMount(MountSpec.hub("shared", "/shared", "cam", null,
                        null, true));
                RtspServer.Registration launchMount = server.addMount(MountSpec.launch("test", "/test", LAUNCH,
                        true))) {
            measure("pistream hub mount (JVM)", self, "rtsp://127.0.0.1:" + server.port() + "/camera");
            Thread.sleep(12_000);
            measure("pistream hub mount, shared (JVM)", self, "rtsp://127.0.0.1:" + server.port() + "/shared");
            // Let the hub's capture stop (linger) so that it does not count in the launch mount's figures.
            Thread.sleep(12_000);
            measure("pistream launch mount, shared (JVM)", self, "rtsp://127.0.0.1:" + server.port() + "/test");
        } finally {
            server.close();
            hub.close();
        }
        Thread.sleep(2000);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Process nativeProcess = new ProcessBuilder(nativeServer, Integer.toString(port), "/test", "1", LAUNCH)
                .redirectErrorStream(true).start();
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(nativeProcess.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = reader.readLine();
            if (line == null || !line.startsWith("READY")) {
                throw new IllegalStateException("test-launch did not start: " + line);
            }
            Thread drain = new Thread(() -> {
                try {
                    while (reader.readLine() != null) {
                        // discard
                    }
                } catch (IOException e) {
                    // gone
                }
            });
            drain.setDaemon(true);
            drain.start();
            measure("native test-launch, shared (C)", Long.toString(nativeProcess.pid()),
                    "rtsp://127.0.0.1:" + port + "/test");
        } finally {
            nativeProcess.destroy();
            nativeProcess.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** First frames (cold and warm), then CPU and RSS with 1 and with 10 clients. */
    private void measure(String name, String pid, String url) throws Exception {
        System.out.println("== " + name + " at " + url);
        long cold = firstFrameMillis(url);
        Thread.sleep(1500); // let that client's media go before the next one comes
        List<Long> warm = new ArrayList<>();
        List<Process> clients = new ArrayList<>();
        try {
            clients.add(client(url));
            Thread.sleep(warmupSeconds * 1000L);
            for (int i = 0; i < FIRST_FRAME_RUNS; i++) {
                warm.add(firstFrameMillis(url));
                Thread.sleep(500);
            }
            double[] one = cpuAndRss(pid);
            for (int i = 1; i < 10; i++) {
                clients.add(client(url));
            }
            Thread.sleep(5000);
            double[] ten = cpuAndRss(pid);
            long alive = clients.stream().filter(Process::isAlive).count();
            String row = String.format(Locale.ROOT, "| %s | %d | %s | %.1f | %.0f | %.1f | %.0f | %d/10 |", name,
                    cold, warm.toString().replaceAll("[\\[\\]]", ""), one[0], one[1], ten[0], ten[1], alive);
            System.out.println(row);
            rows.add(row);
        } finally {
            for (Process client : clients) {
                client.destroy();
            }
            for (Process client : clients) {
                client.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A load client: receives and depayloads, does not decode (10 decoders would starve the 2 cores). */
    private static Process client(String url) throws IOException {
        return new ProcessBuilder("gst-launch-1.0", "-q", "rtspsrc", "location=" + url, "latency=0",
                "protocols=tcp", "!", "rtph264depay", "!", "fakesink").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** From starting {@code gst-launch-1.0 rtspsrc ! rtph264depay ! avdec_h264} to its first decoded frame. */
    private static long firstFrameMillis(String url) throws Exception {
        try (Clients.Player player = Clients.Player.decode(url, "tcp")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (player.frames.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return player.firstFrameMillis();
        }
    }

    /** Average CPU (% of one core) over the measuring time, and RSS (MiB) at its end. */
    private double[] cpuAndRss(String pid) throws Exception {
        long cpuBefore = cpuMillis(pid);
        long start = System.nanoTime();
        Thread.sleep(measureSeconds * 1000L);
        long wall = (System.nanoTime() - start) / 1_000_000;
        long cpuAfter = cpuMillis(pid);
        return new double[] {100.0 * (cpuAfter - cpuBefore) / wall, rssMiB(pid)};
    }

    private static long cpuMillis(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // USER_HZ = 100
    }

    private static double rssMiB(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    private String report() {
        StringBuilder text = new StringBuilder();
        text.append("# RTSP server: pistream (JNA on gst-rtsp-server) vs native test-launch\n\n");
        text.append("Date: ").append(LocalDate.now()).append(". ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, Java ").append(System.getProperty("java.version")).append(".\n");
        text.append("Stream: 1280x720@30 test pattern, x264 ultrafast zerolatency 2 Mbit/s, key frame every 30 "
                + "frames, RTP over TCP to 127.0.0.1.\n");
        text.append("First frame: ms from starting `gst-launch-1.0 rtspsrc latency=0 ! rtph264depay ! avdec_h264 ! "
                + "fakesink` (output-corrupt=false: nothing before a key frame) to its first decoded frame; cold = nothing running yet, warm = ")
                .append(FIRST_FRAME_RUNS).append(" runs while another client plays.\n");
        text.append("CPU: % of one core, whole server process (the JVM includes GC and JIT), averaged over ")
                .append(measureSeconds).append(" s after ").append(warmupSeconds)
                .append(" s of warm-up; RSS at the end. Load clients depayload only.\n\n");
        text.append("| server | first frame cold (ms) | first frame warm (ms) | CPU 1 client | RSS 1 client (MiB) "
                + "| CPU 10 clients | RSS 10 clients (MiB) | clients alive |\n");
        text.append("|---|---:|---|---:|---:|---:|---:|---:|\n");
        rows.forEach(row -> text.append(row).append('\n'));
        text.append("\nArguments: ").append(Arrays.asList(nativeServer, warmupSeconds, measureSeconds)).append('\n');
        return text.toString();
    }
}
