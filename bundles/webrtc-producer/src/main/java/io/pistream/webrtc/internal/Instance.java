package io.pistream.webrtc.internal;

import java.util.UUID;

/** A random id of this running platform, put in the producer's meta so that the receiver never consumes it. */
final class Instance {

    static final String ID = UUID.randomUUID().toString();

    private Instance() {
    }
}
