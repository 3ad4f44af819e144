package io.pistream.webrtc.receiver.internal;

import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

import io.pistream.api.MediaHub;
import io.pistream.api.MediaSource;
import io.pistream.webrtc.internal.ProducerSettings;
import io.pistream.webrtc.internal.WebRtcProducer;
import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.session.RtpCodec;
import io.pistream.webrtc.internal.session.SessionSettings;
import io.pistream.webrtc.internal.signaller.Signaller;
import io.pistream.webrtc.internal.signaller.WebSocketConnector;

/**
 * The composite mode of the receiver: the received video over a camera's picture as a hub source
 * ({@code <camera>-pip}), offered by a producer of its own ({@code <name> picture-in-picture}).
 */
public final class PictureInPicture implements AutoCloseable {

    private final CompositeSource source;
    private final Runnable unregister;
    private final WebRtcProducer producer;

    /**
     * @param register   makes the composite source known to the hub (a service registration in OSGi)
     * @param unregister undoes it
     */
    public PictureInPicture(String name, String cameraId, MediaHub hub, Consumer<MediaSource> register,
            Runnable unregister, URI signallingUrl, WebSocketConnector connector, SessionSettings sessionSettings,
            Signaller.Timing timing) {
        this.source = new CompositeSource(cameraId + "-pip", cameraId, hub);
        this.unregister = unregister;
        register.accept(source);
        ProducerSettings settings = ProducerSettings.of(name + " picture-in-picture", signallingUrl,
                new ProducerSession.Plan(source.id(), List.of(RtpCodec.VP8, RtpCodec.H264), ""), sessionSettings, 4);
        this.producer = new WebRtcProducer(settings, hub, connector, timing);
    }

    /** Where the receiver sessions send their decoded video. */
    public CompositeSource source() {
        return source;
    }

    public WebRtcProducer producer() {
        return producer;
    }

    @Override
    public void close() {
        producer.close();
        unregister.run();
        source.close();
    }
}
