package io.pistream.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.pistream.api.MediaKind;
import io.pistream.api.SourceStatus;
import io.pistream.api.StreamStatus;
import io.pistream.api.Tier;
import io.pistream.rtsp.RtspClient;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.RtspServerStatus;
import io.pistream.signalling.PeerInfo;
import io.pistream.signalling.SessionInfo;
import io.pistream.signalling.SignallingServer;
import io.pistream.webrtc.SessionStatus;
import io.pistream.webrtc.SignallingStatus;
import io.pistream.webrtc.WebRtcStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collectors' output from known status, checked line by line and by Prometheus' own promtool. */
class MetricsTest {

    @TempDir
    Path directory;

    /** Only rendering is tested here; the door is the distribution's (MetricsDistributionIT). */
    private final MetricsServlet servlet = new MetricsServlet(request -> java.util.Optional.empty());

    @Test
    void sourcesAndEncoders() throws Exception {
        List<SourceStatus> sources = List.of(
                new SourceStatus("camera", MediaKind.VIDEO, "Front \"door\" camera", "video/x-raw", true, null),
                new SourceStatus("mic", MediaKind.AUDIO, "Microphone", "audio/x-raw", false,
                        "ALSA device hw:1 is missing"));
        List<StreamStatus> streams = List.of(new StreamStatus("camera", "PLAYING", 2, null, List.of(
                new StreamStatus.EncoderStatus("H264", "x264enc", 3, 900, 1_500_000, "video/x-h264", 30, 4_000_000),
                new StreamStatus.EncoderStatus("JPEG", "jpegenc", 1, 50, 200_000, "image/jpeg", 50, 900_000),
                new StreamStatus.EncoderStatus("H264", "x264enc", 2, 800, 150_000, "video/x-h264", 4, 300_000, 2,
                        320, 180, 150)),
                1234, 29.97));
        String text = render(() -> HubCollector.collect(sources, streams));
        assertLine(text, "pistream_source_running{source=\"camera\"} 1.0");
        assertLine(text, "pistream_source_running{source=\"mic\"} 0.0");
        assertLine(text, "pistream_source_problem{problem=\"ALSA device hw:1 is missing\",source=\"mic\"} 1.0");
        assertLine(text, "pistream_source_frames_per_second{source=\"camera\"} 29.97");
        assertLine(text, "pistream_source_frames_total{source=\"camera\"} 1234.0");
        assertLine(text, "pistream_source_restarts_total{source=\"camera\"} 2.0");
        assertLine(text, "pistream_source_info{kind=\"video\",name=\"Front \\\"door\\\" camera\",source=\"camera\"} 1");
        assertLine(text, "pistream_encoder_key_frames_total{codec=\"H264\",source=\"camera\"} 30.0");
        assertLine(text, "pistream_encoder_bytes_total{codec=\"JPEG\",source=\"camera\"} 900000.0");
        assertLine(text, "pistream_encoder_subscribers{codec=\"H264\",source=\"camera\"} 3.0");
        assertLine(text, "pistream_encoder_bytes_per_second{codec=\"H264\",source=\"camera\"} 187500.0");
        assertLine(text, "pistream_encoder_buffers_total{codec=\"JPEG\",source=\"camera\"} 50.0");
        assertLine(text, "pistream_encoder_bytes_per_second{codec=\"H264\",size=\"320x180\",source=\"camera\","
                + "tier=\"2\"} 18750.0");
        assertLine(text, "pistream_encoder_subscribers{codec=\"H264\",size=\"320x180\",source=\"camera\","
                + "tier=\"2\"} 2.0");
        promtool(text);
    }

    @Test
    void outputsAndSignalling() throws Exception {
        RtspServerStatus rtsp = new RtspServerStatus() {
            @Override
            public boolean running() {
                return true;
            }

            @Override
            public String problem() {
                return null;
            }

            @Override
            public String address() {
                return "0.0.0.0";
            }

            @Override
            public int port() {
                return 8554;
            }

            @Override
            public int players() {
                return 2;
            }

            @Override
            public List<RtspMount> mounts() {
                return List.of(new RtspMount("io.pistream.rtsp.mount-camera", "/camera", "rtsp://x/camera", "hub",
                        "camera", null, true, "serving", "H264", 1, 2),
                        new RtspMount("io.pistream.rtsp.mount-bad", null, null, "hub", null, null, true, "refused",
                                "no path", 0, 0));
            }

            @Override
            public long mediaBytes(String name) {
                return name.equals("io.pistream.rtsp.mount-camera") ? 123_456_789L : 0;
            }

            @Override
            public List<RtspClient> clients() {
                return List.of(new RtspClient("127.0.0.1:4000", "/camera", "TCP", Instant.now()),
                        new RtspClient("127.0.0.1:4001", "/camera", "UDP", Instant.now()),
                        new RtspClient("127.0.0.1:4002", null, null, Instant.now()));
            }
        };
        SignallingServer signalling = new SignallingServer() {
            @Override
            public List<PeerInfo> peers() {
                SessionInfo session = new SessionInfo("s1", "p1", "p2");
                return List.of(new PeerInfo("p1", List.of("producer"), null, "v1_1", List.of(session), null),
                        new PeerInfo("p2", List.of("consumer"), null, "v1_1", List.of(session), null));
            }

            @Override
            public List<SessionInfo> sessions() {
                return List.of(new SessionInfo("s1", "p1", "p2"));
            }

            @Override
            public Map<String, Long> refusals() {
                Map<String, Long> refusals = new LinkedHashMap<>();
                refusals.put("UNAUTHENTICATED", 7L);
                refusals.put("RATE", 0L);
                return refusals;
            }
        };
        WebRtcStatus producer = webRtc("producer", List.of(
                new SessionStatus("s1", "producer", "p2", "VP8+OPUS", "STREAMING", 1_000_000, 0, 1, 0, 500, null),
                new SessionStatus("s2", "producer", "p3", "H264", "STREAMING", 500_000, 0, 1, 0, 500, null, 0, -1,
                        new Tier(0, 1280, 720, 0), "start on the top tier"),
                new SessionStatus("s3", "producer", "p5", "H264", "STREAMING", 600_000, 90, 250, 0, 500, null, 12.5,
                        -1, new Tier(1, 640, 360, 600), "down: 12 % of packets lost"),
                new SessionStatus("s0", "producer", "p4", "H264", "ENDED", 0, 0, 1, 0, 500, "bye")));
        String text = render(() -> RtspCollector.collect(rtsp), () -> SignallingCollector.collect(signalling),
                () -> WebRtcCollector.collect(List.of(producer)));
        assertLine(text, "pistream_rtsp_up 1.0");
        assertLine(text, "pistream_rtsp_players 2.0");
        assertLine(text, "pistream_rtsp_connections 3.0");
        assertLine(text, "pistream_rtsp_mount_clients{path=\"/camera\"} 2.0");
        assertLine(text, "pistream_rtsp_mount_serving{path=\"\",state=\"refused\"} 0.0");
        assertLine(text, "pistream_rtsp_mount_media_bytes_total{path=\"/camera\"} 1.23456789E8");
        assertTrue(!text.contains("pistream_rtsp_mount_media_bytes_total{path=\"\"}"), "no series for a mount "
                + "without a path");
        assertLine(text, "pistream_signalling_peers 2.0");
        assertLine(text, "pistream_signalling_sessions 1.0");
        assertLine(text, "pistream_signalling_refusals_total{reason=\"unauthenticated\"} 7.0");
        assertLine(text, "pistream_webrtc_sessions{role=\"producer\",state=\"streaming\"} 3.0");
        assertLine(text, "pistream_webrtc_sessions{role=\"producer\",state=\"connecting\"} 0.0");
        assertLine(text, "pistream_webrtc_bytes_per_second{role=\"producer\"} 262500.0");
        assertLine(text, "pistream_webrtc_viewers_by_tier{tier=\"0\"} 1.0");
        assertLine(text, "pistream_webrtc_viewers_by_tier{tier=\"1\"} 1.0");
        assertLine(text, "pistream_webrtc_worst_loss_ratio{role=\"producer\"} 0.125");
        assertLine(text, "pistream_webrtc_worst_rtt_seconds{role=\"producer\"} 0.25");
        promtool(text);
    }

    @Test
    void processFiguresOfThisJvm() throws Exception {
        String text = render(new ProcessCollector());
        long rss = (long) value(text, "process_resident_memory_bytes");
        assertTrue(rss > 20_000_000, "a JVM holds more than 20 MB: " + rss);
        assertTrue(value(text, "process_threads") >= value(text, "jvm_threads_current"),
                "native threads include the Java ones");
        assertTrue(value(text, "process_cpu_seconds_total") > 0);
        assertTrue(value(text, "process_open_fds") > 0);
        promtool(text);
    }

    @Test
    void procParsing() {
        assertEquals(1234, ProcessCollector.statusKilobytes("Name:\tjava\nVmRSS:\t    1234 kB\nThreads:\t42\n",
                "VmRSS"));
        assertEquals(42, ProcessCollector.statusKilobytes("Name:\tjava\nThreads:\t42\n", "Threads"));
        assertEquals(-1, ProcessCollector.statusKilobytes("Name:\tjava\n", "VmRSS"));
        // a command name with spaces and parentheses does not shift the fields
        String stat = "77 (a (weird) name) S 1 77 77 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 30 0 999 1 2";
        assertEquals(3.0, ProcessCollector.cpuSeconds(stat), 1e-9);
    }

    @Test
    void aFailingCollectorIsLeftOutOfTheScrape() throws Exception {
        String text = render(() -> {
            throw new IllegalStateException("service going away");
        }, () -> SignallingCollector.collect(new SignallingServer() {
            @Override
            public List<PeerInfo> peers() {
                return List.of();
            }

            @Override
            public List<SessionInfo> sessions() {
                return List.of();
            }
        }));
        assertLine(text, "pistream_signalling_peers 0.0");
        promtool(text);
    }

    private String render(MetricsCollector... collectors) throws IOException {
        return new String(servlet.render(List.of(collectors)), StandardCharsets.UTF_8);
    }

    private static void assertLine(String text, String line) {
        assertTrue(text.lines().anyMatch(line::equals), "no line '" + line + "' in:\n" + text);
    }

    private static double value(String text, String name) {
        return text.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(
                line -> Double.parseDouble(line.substring(name.length() + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in:\n" + text));
    }

    /** Prometheus' own linter: exit 0 and no complaint. */
    private void promtool(String text) throws Exception {
        Path file = directory.resolve("metrics.txt");
        Files.writeString(file, text);
        Process process = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "promtool finished");
        assertEquals(0, process.exitValue(), "promtool check metrics: " + output + "\n" + text);
        assertEquals("", output.trim(), "promtool has no complaint");
    }

    private static WebRtcStatus webRtc(String role, List<SessionStatus> sessions) {
        return new WebRtcStatus() {
            @Override
            public String role() {
                return role;
            }

            @Override
            public String name() {
                return "device";
            }

            @Override
            public SignallingStatus signalling() {
                return null;
            }

            @Override
            public List<SessionStatus> sessions() {
                return sessions;
            }

            @Override
            public boolean endSession(String sessionId) {
                return false;
            }
        };
    }
}
