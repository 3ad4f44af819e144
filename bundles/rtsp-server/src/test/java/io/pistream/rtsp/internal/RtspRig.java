package io.pistream.rtsp.internal;

import java.util.ArrayList;
import java.util.List;

import io.pistream.api.Encoder;
import io.pistream.api.MediaSource;
import io.pistream.api.security.Role;
import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;

/**
 * A media hub with a test camera ({@code cam}), a test tone ({@code mic}), H.264 and Opus encoders, and an RTSP
 * server on 127.0.0.1 and a free port. Sources and encoders are announced to the hub, which tells the server.
 * Authentication is on, as on a device: {@link #url} carries the credentials of an administrator (who may play every
 * mount), {@link #url(String, String, String)} those of anyone, {@link #bareUrl} none.
 */
final class RtspRig implements AutoCloseable {

    static final String VIEWER = "vera";
    static final String VIEWER_PASSWORD = "viewer-pass-1";
    static final String ADMIN = "adam";
    static final String ADMIN_PASSWORD = "admin-pass-1";

    final TestAccessControl access = new TestAccessControl()
            .user(VIEWER, VIEWER_PASSWORD, Role.VIEWER)
            .user(ADMIN, ADMIN_PASSWORD, Role.VIEWER, Role.TALK, Role.ADMIN);
    final MediaHubCore hub;
    final RtspServer server;
    final TestPatternSource camera = new TestPatternSource("cam", 320, 240, 30);
    final MediaSource mic = TestAudio.tone("mic");
    final Encoder h264;
    final Encoder opus = TestAudio.opus();

    /** An H.264 test pattern of its own, for launch mounts. */
    static final String TEST_LAUNCH = "( videotestsrc is-live=true ! video/x-raw,format=I420,width=320,height=240,"
            + "framerate=30/1 ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 ! "
            + "video/x-h264,profile=constrained-baseline ! rtph264pay name=pay0 pt=96 config-interval=-1 )";

    private final List<RtspServer.Registration> classMounts = new ArrayList<>();

    /** A rig for a test class: {@code /camera} (the hub's camera) and {@code /test} ({@link #TEST_LAUNCH}). */
    static RtspRig withCameraAndTestMounts() throws RtspServerException {
        RtspRig rig = new RtspRig(1000);
        rig.classMounts.add(rig.hubMount("/camera", "cam", null, false));
        rig.classMounts.add(rig.launchMount("/test", TEST_LAUNCH, false));
        return rig;
    }

    RtspRig(long lingerMillis) throws RtspServerException {
        this(lingerMillis, ServerSettings.loopback(), 30);
    }

    /** With key frames every {@code keyFrameInterval} frames (at 30 frames/s). */
    RtspRig(long lingerMillis, ServerSettings settings, int keyFrameInterval) throws RtspServerException {
        h264 = TestEncoders.h264(keyFrameInterval);
        hub = MediaHubCore.create(lingerMillis);
        server = new RtspServer(settings, hub, access);
        server.start();
        addEncoder(h264);
        addEncoder(opus);
        addSource(camera);
        addSource(mic);
    }

    void addSource(MediaSource source) {
        hub.addSource(source);
    }

    void removeSource(MediaSource source) {
        hub.removeSource(source);
    }

    void addEncoder(Encoder encoder) {
        hub.addEncoder(encoder, 0);
    }

    void removeEncoder(Encoder encoder) {
        hub.removeEncoder(encoder);
    }

    RtspServer.Registration hubMount(String path, String video, String audio, boolean shared) {
        return server.addMount(MountSpec.hub(path.substring(1), path, video, audio, "opus", shared));
    }

    RtspServer.Registration launchMount(String path, String launch, boolean shared) {
        return server.addMount(MountSpec.launch(path.substring(1), path, launch, shared));
    }

    /** The registry the mount components use, backed by this rig's server. */
    MountRegistry registry() {
        return new MountRegistry() {
            @Override
            public RtspServer.Registration addMount(MountSpec spec) {
                return server.addMount(spec);
            }

            @Override
            public RtspServer.Registration addRefused(String name, String path, String reason) {
                return server.addRefused(name, path, reason);
            }
        };
    }

    /** The single encoder branch of a source in the hub's status, or null when the source is not running. */
    io.pistream.api.StreamStatus.EncoderStatus branch(String sourceId, String codec) {
        for (io.pistream.api.StreamStatus stream : hub.streams()) {
            if (stream.sourceId().equals(sourceId)) {
                for (io.pistream.api.StreamStatus.EncoderStatus encoder : stream.encoders()) {
                    if (encoder.codec().equals(codec)) {
                        return encoder;
                    }
                }
            }
        }
        return null;
    }

    /** The URL of a path with an administrator's credentials. */
    String url(String path) {
        return url(path, ADMIN, ADMIN_PASSWORD);
    }

    String url(String path, String user, String password) {
        return "rtsp://" + user + ":" + password + "@127.0.0.1:" + server.port() + path;
    }

    /** The URL of a path without credentials. */
    String bareUrl(String path) {
        return "rtsp://127.0.0.1:" + server.port() + path;
    }

    @Override
    public void close() {
        classMounts.forEach(RtspServer.Registration::close);
        server.close();
        hub.close();
    }
}
