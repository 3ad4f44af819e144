/**
 * The signalling protocol of GStreamer's gst-webrtc-signalling-server (gst-plugins-rs
 * {@code net/webrtc/protocol}): its messages as Jackson-mapped records and {@link
 * io.pistream.signalling.protocol.MessageCodec}, which reads and writes them as the reference server does. The
 * server bundle and the device's signalling client both use it.
 */
@Version("1.1.0")
package io.pistream.signalling.protocol;

import org.osgi.annotation.versioning.Version;
