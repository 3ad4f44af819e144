package io.pistream.rtsp.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import com.sun.jna.Pointer;

import io.pistream.gstreamer.jna.LibGst;
import io.pistream.rtsp.RtspMount;
import io.pistream.rtsp.internal.jna.NativeEvents;
import io.pistream.rtsp.internal.jna.RtspLib;

import org.freedesktop.gstreamer.State;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients coming, going and vanishing: nothing may be left behind (media pipelines, sessions, hub pipelines,
 * threads), and a joining client must not wait for the next natural key frame. The encoder here makes no key frame
 * of its own after the first (one every million frames): a client that decodes at all got a key frame forced for it.
 * Sessions of silent clients time out after 10 s.
 */
class RtspLifecycleTest {

    private static final int SESSION_TIMEOUT_SECONDS = 10;
    private static final long LINGER_MILLIS = 500;
    /** Frames between natural key frames: more than nine hours at 30 frames/s, so never during a test. */
    private static final int NO_NATURAL_KEY_FRAME = 1_000_000;

    private static RtspRig rig;

    @BeforeAll
    static void startServer() throws Exception {
        rig = new RtspRig(LINGER_MILLIS, ServerSettings.loopback().withSessionTimeout(SESSION_TIMEOUT_SECONDS),
                NO_NATURAL_KEY_FRAME);
    }

    @AfterAll
    static void stopServer() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void aJoiningClientGetsAKeyFrameAtOnce() throws Exception {
        joinRounds("/join", false);
    }

    @Test
    void aClientJoiningASharedMediaGetsAKeyFrameAtOnce() throws Exception {
        joinRounds("/joinshared", true);
    }

    /**
     * Each joining client decodes (so a key frame was forced for it) and costs the shared encoder exactly one key
     * frame: a media's first player starts from the key frame its subscription began with, and a player joining a
     * shared media gets one made for it. More would delay the next player to join by the encoder's key-frame limit.
     */
    private static void joinRounds(String path, boolean shared) throws Exception {
        try (RtspServer.Registration mount = rig.hubMount(path, "cam", null, shared);
                Clients.Player first = Clients.Player.decode(rig.url(path), "tcp")) {
            first.awaitFrames("the first client decodes", 0, Duration.ofMillis(30_000));
            for (int round = 0; round < 3; round++) {
                Thread.sleep(1000); // away from the previous forced key frame (the hub coalesces requests)
                long keyFramesBefore = rig.branch("cam", "H264").keyFrames();
                try (Clients.Player joining = Clients.Player.decode(rig.url(path), "tcp")) {
                    // Without a forced key frame the decoder outputs nothing: there is no natural one to wait for.
                    joining.awaitFrames("round " + round + ": the joining client decodes", 0,
                            Duration.ofMillis(30_000));
                    System.out.println("Joining client " + path + " round " + round + ": first frame after "
                            + joining.firstFrameMillis() + " ms from its start");
                    Thread.sleep(800); // past the retry and the encoder's key-frame limit
                    assertEquals(1, rig.branch("cam", "H264").keyFrames() - keyFramesBefore,
                            "round " + round + ": key frames made for one joining client");
                }
            }
            await("only the first client's media is subscribed").atMost(Duration.ofMillis(10_000))
                    .until(() -> rig.branch("cam", "H264").subscribers() == 1);
        }
    }

    @Test
    void fiftyConnectDisconnectCyclesLeaveNothingBehind() throws Exception {
        try (RtspServer.Registration steadyMount = rig.hubMount("/steady", "cam", null, false);
                RtspServer.Registration cycleMount = rig.hubMount("/cycle", "cam", null, false)) {
            cycle(0);
            cycle(1);
            Clients.Player steady = Clients.Player.decode(rig.url("/steady"), "tcp");
            try {
                steady.awaitFrames("a steady client plays", 10, Duration.ofMillis(30_000));
                await("warm-up media released").atMost(Duration.ofMillis(15_000))
                        .until(() -> mount("cycle").medias() == 0);
                Thread.sleep(1000);
                int baselineThreads = nativeThreads();

                long start = System.nanoTime();
                for (int i = 0; i < 50; i++) {
                    cycle(i);
                }
                long cyclesMillis = (System.nanoTime() - start) / 1_000_000;
                System.out.println("50 RTSP cycles in " + cyclesMillis + " ms; threads before " + baselineThreads
                        + ", right after " + nativeThreads());

                int framesBefore = steady.frames.get();
                steady.awaitFrames("the steady client keeps decoding", framesBefore + 30, Duration.ofMillis(30_000));
                await("every cycle's media, session and client is gone").atMost(Duration.ofMillis(20_000))
                        .untilAsserted(() -> assertTrue(
                                mount("cycle").medias() == 0 && rig.server.liveMedias() == 1
                                        && rig.server.sessions() == 1 && rig.server.clients().size() == 1,
                                "medias " + rig.server.liveMedias() + ", sessions " + rig.server.sessions()
                                        + ", clients " + rig.server.clients()));
                // GLib keeps a couple of idle pool threads for a while; a leak would be one or more per cycle (50+).
                long settling = System.nanoTime();
                await("threads back near the baseline of " + baselineThreads).atMost(Duration.ofMillis(30_000))
                        .untilAsserted(() -> assertTrue(
                                nativeThreads() <= baselineThreads + 5,
                                "now " + nativeThreads()));
                System.out.println("Threads back to " + nativeThreads() + " (baseline " + baselineThreads + ") after "
                        + (System.nanoTime() - settling) / 1_000_000 + " ms");
            } finally {
                steady.close();
            }
        }
        await("nothing left: no media, session, client or hub pipeline").atMost(Duration.ofMillis(20_000))
                .untilAsserted(() -> assertTrue(
                        rig.server.liveMedias() == 0 && rig.server.sessions() == 0 && rig.server.clients().isEmpty()
                                && NativeEvents.watchedClients() == 0 && rig.hub.livePipelines() == 0,
                        "medias " + rig.server.liveMedias() + ", sessions " + rig.server.sessions() + ", clients "
                                + rig.server.clients() + ", hub pipelines " + rig.hub.livePipelines()));
    }

    /** One client: plays and leaves politely, vanishes mid-stream, or leaves before playing. */
    private static void cycle(int i) throws IOException {
        try (RawRtsp client = new RawRtsp(rig.server.port(), 15_000)) {
            String url = rig.url("/cycle");
            if (i % 3 == 2) {
                assertEquals(200, client.request("DESCRIBE", url, "Accept: application/sdp").status());
                return; // gone before SETUP
            }
            RawRtsp.Response play = client.play(url);
            assertEquals(200, play.status(), "cycle " + i);
            client.receive(4000, 10_000);
            if (i % 3 == 0) {
                assertEquals(200, client.request("TEARDOWN", url).status());
            } // else: the socket just closes, mid-stream
        }
    }

    @Test
    void vanishedClientsAreDroppedWhileOthersPlayOn() throws Exception {
        try (RtspServer.Registration mount = rig.hubMount("/vanish", "cam", null, false);
                Clients.Player survivor = Clients.Player.decode(rig.url("/vanish"), "tcp");
                Clients.Player tcp = Clients.Player.decode(rig.url("/vanish"), "tcp");
                Clients.Player udp = Clients.Player.decode(rig.url("/vanish"), "udp")) {
            await("three clients decode").atMost(Duration.ofMillis(30_000))
                    .until(() -> survivor.frames.get() > 5 && tcp.frames.get() > 5 && udp.frames.get() > 5);
            assertEquals(3, mount("vanish").medias());
            tcp.process.destroyForcibly(); // SIGKILL: no TEARDOWN, the connection just closes
            udp.process.destroyForcibly();
            assertTrue(tcp.process.waitFor(5, TimeUnit.SECONDS) && udp.process.waitFor(5, TimeUnit.SECONDS));
            await("the killed clients' media are released").atMost(Duration.ofMillis(10_000))
                    .until(() -> mount("vanish").medias() == 1);

            // A UDP client whose network went away: its RTSP connection stays open but nothing comes from it
            // any more (no RTCP, no keep-alive). Its session must time out.
            try (DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                    RawRtsp silent = new RawRtsp(rig.server.port(), 15_000)) {
                assertEquals(200, silent.play(rig.url("/vanish"), rtp.getLocalPort()).status());
                await("the silent client's media is up").atMost(Duration.ofMillis(10_000))
                        .until(() -> mount("vanish").medias() == 2);
                long silentSince = System.nanoTime();
                await("the silent client's session times out and its media is released")
                        .atMost(Duration.ofMillis((SESSION_TIMEOUT_SECONDS + 15) * 1000L))
                        .until(() -> mount("vanish").medias() == 1);
                long millis = (System.nanoTime() - silentSince) / 1_000_000;
                System.out.println("Silent UDP client dropped after " + millis + " ms (session timeout "
                        + SESSION_TIMEOUT_SECONDS + " s)");
                assertTrue(millis >= (SESSION_TIMEOUT_SECONDS - 1) * 1000L, "not before its timeout: " + millis);
            }
            int frames = survivor.frames.get();
            survivor.awaitFrames("the survivor keeps decoding", frames + 30, Duration.ofMillis(30_000));
            await("only the survivor's media is subscribed").atMost(Duration.ofMillis(10_000))
                    .until(() -> rig.branch("cam", "H264").subscribers() == 1);
        }
    }

    @Test
    void aPlayingMediaLeftBlockedIsUnblocked() throws Exception {
        // what gst-rtsp-server does while preparing a media, done to a playing one: its stream stops
        playerRecoversFrom("/stall", "the watchdog unblocks the media", feed -> {
            for (int i = 0; i < RtspLib.Server.gst_rtsp_media_n_streams(feed.media); i++) {
                RtspLib.Server.gst_rtsp_stream_set_blocked(RtspLib.Server.gst_rtsp_media_get_stream(feed.media, i),
                        true);
            }
        });
    }

    @Test
    void aPlayingMediaWhosePipelineSettledInPausedPlaysAgain() throws Exception {
        // a live appsrc takes nothing while paused: the media holds its buffers and its player sees no frame
        playerRecoversFrom("/paused", "the watchdog sets the pipeline playing", feed -> {
            // native calls: a gst1-java-core Pipeline would take the media's bus messages from gst-rtsp-server
            Pointer bin = RtspLib.Server.gst_rtsp_media_get_element(feed.media);
            Pointer pipeline = LibGst.gst_object_get_parent(bin);
            LibGst.gst_element_set_state(pipeline, State.PAUSED.intValue());
            LibGst.gst_object_unref(pipeline);
            LibGst.gst_object_unref(bin);
        });
    }

    @Test
    void readingTheStateOfAPreparingMediaLeavesItsMessagesToTheServer() throws Exception {
        // gst-rtsp-server prepares a media when its bus watch sees the streams block: the stall watch and the
        // diagnostics that read the pipeline's state must not take the bus from it (DESCRIBE would time out)
        try (RtspServer.Registration mount = rig.hubMount("/watched", "cam", null, false)) {
            AtomicBoolean watching = new AtomicBoolean(true);
            AtomicInteger reads = new AtomicInteger();
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    for (MediaFeed feed : rig.server.feeds("/watched")) {
                        feed.pipelineState();
                        reads.incrementAndGet();
                    }
                    LockSupport.parkNanos(5_000_000);
                }
            }, "state-reader");
            watcher.start();
            try (Clients.Player player = Clients.Player.decode(rig.url("/watched"), "tcp")) {
                player.awaitFrames("a client plays a media whose state was read while it was prepared", 30,
                        Duration.ofMillis(40_000));
            } finally {
                watching.set(false);
                watcher.join();
            }
            assertTrue(reads.get() > 0, "the media's state was read while it was prepared");
        }
    }

    /** Stops a playing media with {@code stall}; its player must decode again, from the same media, connected. */
    private static void playerRecoversFrom(String path, String recovery, Consumer<MediaFeed> stall) throws Exception {
        try (RtspServer.Registration mount = rig.hubMount(path, "cam", null, false);
                Clients.Player player = Clients.Player.decode(rig.url(path), "tcp")) {
            player.awaitFrames("the client plays", 30, Duration.ofMillis(30_000));
            MediaFeed feed = rig.server.feeds(path).get(0);
            stall.accept(feed);
            Thread.sleep(500);
            int stalledAt = player.frames.get();
            await(recovery + " and frames flow again").atMost(Duration.ofMillis(30_000))
                    .untilAsserted(() -> assertTrue(player.frames.get() > stalledAt + 60,
                            "frames " + player.frames.get() + ", pipeline " + feed.pipelineState()));
            assertTrue(player.process.isAlive(), "the player was not disconnected");
            assertEquals(1, rig.server.feeds(path).size(), "the same media, not a new one");
        }
    }

    @Test
    void stoppingTheServerEndsItsClientsAndFreesThePort() throws Exception {
        RtspServer server = new RtspServer(ServerSettings.loopback(), rig.hub, rig.access);
        server.start();
        int port = server.port();
        server.addMount(MountSpec.hub("stop", "/stop", "cam", null, null, false));
        try (Clients.Player player = Clients.Player.decode("rtsp://" + RtspRig.VIEWER + ":" + RtspRig.VIEWER_PASSWORD
                + "@127.0.0.1:" + port + "/stop", "tcp")) {
            player.awaitFrames("the client plays", 5, Duration.ofMillis(30_000));
            server.close();
            assertTrue(player.process.waitFor(10, TimeUnit.SECONDS), "the client ended with the server");
        }
        assertEquals(0, server.liveMedias());
        RtspServer again = new RtspServer(ServerSettings.loopback().withPort(port), rig.hub, rig.access);
        try {
            again.start(); // the port is free again
            assertTrue(again.running());
        } finally {
            again.close();
        }
    }

    private static RtspMount mount(String name) {
        return rig.server.mounts().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static int nativeThreads() {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return (int) tasks.count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
