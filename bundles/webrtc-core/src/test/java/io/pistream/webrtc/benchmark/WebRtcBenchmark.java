package io.pistream.webrtc.benchmark;

import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.management.OperatingSystemMXBean;

import io.pistream.api.EncodedStreamSink;
import io.pistream.api.Encoder;
import io.pistream.api.MediaException;
import io.pistream.api.MediaHub;
import io.pistream.api.MediaKind;
import io.pistream.api.Subscription;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.ForwardingHub;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.webrtc.internal.ProducerSettings;
import io.pistream.webrtc.internal.WebRtcProducer;
import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.testing.SignallingServer;

import org.freedesktop.gstreamer.Element;

/**
 * Benchmark (not a test): first-frame time, and the producer process's CPU and RSS with 1, 5 and 10 viewers,
 * once with the shared encoder (this design) and once with one encoder per viewer (the way webrtcsink works).
 * The viewers run in a second JVM ({@link ConsumerSwarm}) that only depayloads, so that their CPU is not counted.
 * <p>
 * Run: {@code mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt} then
 * {@code java -Djna.nosys=true -cp target/test-classes:target/classes:$(cat target/cp.txt)
 * io.pistream.webrtc.benchmark.WebRtcBenchmark [width height warmupSeconds measureSeconds]}
 */
public final class WebRtcBenchmark {

    private static final long VIEWER_TIMEOUT_MILLIS = 30_000;

    private WebRtcBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int width = args.length > 0 ? Integer.parseInt(args[0]) : 640;
        int height = args.length > 1 ? Integer.parseInt(args[1]) : 480;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int measure = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        int kbps = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        // optional: one configuration only (a fresh JVM per configuration gives a clean RSS)
        String onlyMode = args.length > 5 ? args[5] : null;
        int onlyViewers = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        System.out.printf("# WebRTC producer benchmark: VP8 %dx%d@30 test pattern (ball), %s, viewers in a second "
                + "JVM%n", width, height, kbps == 0 ? "vp8enc default bitrate (256 kbit/s)" : kbps + " kbit/s CBR");
        System.out.printf("# machine: %d cores; CPU in %% of one core (process utime+stime), warm-up %d s, "
                + "measured over %d s%n", Runtime.getRuntime().availableProcessors(), warmup, measure);
        MediaHubCore hub = MediaHubCore.create(1000);
        hub.addSource(new TestPatternSource("camera", width, height, 30));
        hub.addEncoder(kbps == 0 ? TestEncoders.vp8() : vp8(kbps), 0);
        for (int i = 1; i <= 10; i++) {
            hub.addEncoder(renamed(kbps == 0 ? TestEncoders.vp8() : vp8(kbps), "VP8#" + i), 0);
        }
        try (SignallingServer server = SignallingServer.start();
                JdkWebSocketConnector connector = SignallingServer.deviceConnector()) {
            if (onlyMode == null) {
                firstFrame(hub, server, connector);
                System.out.println();
                System.out.println("| encoders | viewers | encoders running | producer CPU % | producer RSS MB "
                        + "| frames/s per viewer (min-max) |");
                System.out.println("|---|---|---|---|---|---|");
            }
            for (boolean shared : new boolean[] {true, false}) {
                if (onlyMode != null && shared != onlyMode.equals("shared")) {
                    continue;
                }
                MediaHub used = shared ? hub : new EncoderPerViewer(hub);
                for (int viewers : new int[] {1, 5, 10}) {
                    if (onlyViewers == 0 || viewers == onlyViewers) {
                        run(hub, used, shared, viewers, server, connector, warmup, measure);
                    }
                }
            }
        }
        hub.close();
        System.exit(0);
    }

    /** Viewers of the producer in a process of their own ({@link ConsumerSwarm}). */
    private static ViewerProcess viewers(SignallingServer server, WebRtcProducer producer) throws Exception {
        return ViewerProcess.webRtc(server.url().toString(), producer.peerId(), null);
    }

    /** Time from startSession to the first decoded frame, with the capture stopped (cold) and running (warm). */
    private static void firstFrame(MediaHubCore hub, SignallingServer server, JdkWebSocketConnector connector)
            throws Exception {
        WebRtcProducer producer = producer(hub, server, connector);
        try (ViewerProcess warmViewer = viewers(server, producer)) {
            List<Long> cold = new ArrayList<>();
            List<Long> warm = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                Thread.sleep(1500); // the capture stops after the linger
                try (ViewerProcess swarm = viewers(server, producer)) {
                    swarm.add(1, true, VIEWER_TIMEOUT_MILLIS);
                    cold.add(swarm.firstFrameMillis()[0]);
                }
            }
            warmViewer.add(1, false, VIEWER_TIMEOUT_MILLIS); // keeps the capture and encoder running
            for (int round = 0; round < 3; round++) {
                try (ViewerProcess swarm = viewers(server, producer)) {
                    swarm.add(1, true, VIEWER_TIMEOUT_MILLIS);
                    warm.add(swarm.firstFrameMillis()[0]);
                }
            }
            System.out.println("First decoded frame after startSession (VP8, decoding viewer, 3 runs each):");
            System.out.println("  capture and encoder stopped (cold): " + cold + " ms");
            System.out.println("  capture and encoder running (warm): " + warm + " ms");
        } finally {
            producer.close();
        }
    }

    private static void run(MediaHubCore hub, MediaHub used, boolean shared, int viewers, SignallingServer server,
            JdkWebSocketConnector connector, int warmup, int measure) throws Exception {
        Thread.sleep(2000);
        WebRtcProducer producer = producer(used, server, connector);
        try (ViewerProcess swarm = viewers(server, producer)) {
            swarm.add(viewers, false, VIEWER_TIMEOUT_MILLIS);
            Thread.sleep(warmup * 1000L);
            long[] before = swarm.frames();
            double cpu = cpuPercent(measure);
            long[] after = swarm.frames();
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < after.length; i++) {
                long perSecond = (after[i] - before[i]) / measure;
                min = Math.min(min, perSecond);
                max = Math.max(max, perSecond);
            }
            int encoders = hub.streams().stream().mapToInt(s -> s.encoders().size()).sum();
            System.out.printf("| %s | %d | %d | %.1f | %d | %d-%d |%n", shared ? "shared (this design)"
                    : "one per viewer (webrtcsink)", viewers, encoders, cpu, rssMegabytes(), min, max);
        } finally {
            producer.close();
        }
    }

    private static WebRtcProducer producer(MediaHub hub, SignallingServer server, JdkWebSocketConnector connector)
            throws InterruptedException {
        ProducerSettings settings = ProducerSettings.of("benchmark", server.url(),
                new ProducerSession.Plan("camera", List.of(RtpCodec.VP8), ""), SessionSettings.loopback(30_000), 20);
        WebRtcProducer producer = new WebRtcProducer(settings, hub, connector, Signaller.Timing.DEFAULT);
        await("the producer registers").atMost(Duration.ofSeconds(10)).until(() -> producer.peerId() != null);
        return producer;
    }

    private static double cpuPercent(int seconds) throws InterruptedException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        return 100.0 * (os.getProcessCpuTime() - cpuBefore) / (System.nanoTime() - wallBefore);
    }

    private static long rssMegabytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** vp8enc in real time at a fixed bitrate, roughly as webrtcsink configures it. */
    private static Encoder vp8(int kbps) {
        Encoder base = TestEncoders.vp8();
        return new Encoder() {
            @Override
            public String codec() {
                return base.codec();
            }

            @Override
            public MediaKind kind() {
                return MediaKind.VIDEO;
            }

            @Override
            public String description() {
                return "vp8enc " + kbps + " kbit/s";
            }

            @Override
            public boolean isAvailable() {
                return base.isAvailable();
            }

            @Override
            public Element createElement(String rawCaps) throws MediaException {
                Element vp8 = io.pistream.gstreamer.Elements.make("vp8enc", null);
                vp8.set("deadline", 1L);
                vp8.set("keyframe-max-dist", 60);
                vp8.set("target-bitrate", kbps * 1000);
                vp8.setAsString("end-usage", "cbr");
                vp8.set("lag-in-frames", 0);
                vp8.set("cpu-used", 4);
                vp8.set("threads", 2);
                return io.pistream.gstreamer.Elements.chain("vp8", io.pistream.gstreamer.Elements.make("videoconvert",
                        null), vp8);
            }
        };
    }

    /** An encoder registered under another codec name, so that the hub runs one more branch of it. */
    private static Encoder renamed(Encoder encoder, String codec) {
        return new Encoder() {
            @Override
            public String codec() {
                return codec;
            }

            @Override
            public MediaKind kind() {
                return encoder.kind();
            }

            @Override
            public String description() {
                return encoder.description() + " " + codec;
            }

            @Override
            public boolean isAvailable() {
                return encoder.isAvailable();
            }

            @Override
            public Element createElement(String rawCaps) throws MediaException {
                return encoder.createElement(rawCaps);
            }
        };
    }

    /** Gives each subscription its own encoder branch (VP8#1, VP8#2, ...), as webrtcsink encodes per viewer. */
    private static final class EncoderPerViewer extends ForwardingHub {
        private final AtomicInteger next = new AtomicInteger();

        EncoderPerViewer(MediaHub hub) {
            super(hub);
        }

        @Override
        public Subscription subscribe(String sourceId, String codec, EncodedStreamSink sink) throws MediaException {
            return hub.subscribe(sourceId, codec + "#" + (next.getAndIncrement() % 10 + 1), sink);
        }
    }
}
