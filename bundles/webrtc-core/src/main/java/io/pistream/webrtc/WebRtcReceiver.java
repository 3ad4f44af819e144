package io.pistream.webrtc;

import java.util.List;

/** The receiver: consumes streams that browsers (or other producers) register with the signalling server. */
public interface WebRtcReceiver extends WebRtcStatus {

    /** A producer known to the signalling server. */
    record RemoteProducer(String id, String name, String meta, boolean receiving) {
    }

    /** The producers currently registered, as the receiver last learnt them. */
    List<RemoteProducer> producers();

    /**
     * Starts consuming a producer now, whether or not it matches the configured {@code match}.
     *
     * @return a description of what happens, for the shell
     * @throws IllegalArgumentException when the producer is unknown or already received
     */
    String receive(String producerId);

    /** Ends a session of this receiver; returns whether it existed. */
    boolean stop(String sessionId);

    @Override
    default boolean endSession(String sessionId) {
        return stop(sessionId);
    }
}
