package io.pistream.webrtc.internal;

import java.util.UUID;

/** A random id of this running platform, put in the producer's meta so that the receiver never consumes it. */
public final class Instance {

    public static final String ID = UUID.randomUUID().toString();

    private Instance() {
    }
}
