package io.pistream.webrtc.testing;

import io.pistream.gstreamer.internal.MediaHubCore;
import io.pistream.gstreamer.testing.TestEncoders;
import io.pistream.gstreamer.testing.TestPatternSource;
import io.pistream.gstreamer.testing.TestToneSource;
import io.pistream.signalling.testing.TestAccessControl;
import io.pistream.webrtc.internal.signaller.JdkWebSocketConnector;

/**
 * What the device's producer stands on in a test: a hub with a test pattern ({@code camera}, 640x480 at 30 fps)
 * and a tone ({@code microphone}) and VP8, H.264 and Opus encoders; the signalling server; WebSocket clients
 * signed in as the device (for the producer) and as a user with the role viewer (for the viewers).
 */
public record ProducerRig(MediaHubCore hub, SignallingServer server, JdkWebSocketConnector device,
        JdkWebSocketConnector viewers) implements AutoCloseable {

    public static ProducerRig start() throws Exception {
        MediaHubCore hub = MediaHubCore.create(500);
        hub.addSource(new TestPatternSource("camera", 640, 480, 30));
        hub.addSource(new TestToneSource("microphone"));
        hub.addEncoder(TestEncoders.vp8(), 0);
        hub.addEncoder(TestEncoders.h264(60), 0);
        hub.addEncoder(TestEncoders.opus(), 0);
        return new ProducerRig(hub, SignallingServer.start(), SignallingServer.deviceConnector(),
                SignallingServer.connectorAs(TestAccessControl.VIEWER_TOKEN));
    }

    @Override
    public void close() throws Exception {
        device.close();
        viewers.close();
        server.close();
        hub.close();
    }
}
