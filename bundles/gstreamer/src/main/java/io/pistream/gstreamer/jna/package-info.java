/**
 * The one JNA binding of GStreamer's C libraries for pistream's own bundles: libgstreamer, libgobject, libglib,
 * libgstapp and libgstvideo each bound once, one router for native signals and pad probes, one helper for
 * {@code GstPromise} requests, and the native side of {@link io.pistream.api.EncodedBuffer}.
 * <p>
 * Exported with the mandatory attribute {@code pistream=native}: only bundles that import it with that attribute
 * (the project's own) can wire to it. Plugin authors use {@code io.pistream.api} and {@code io.pistream.gstreamer}.
 * Libraries used by one bundle alone (gst-rtsp-server, gstwebrtc, gstsdp) are bound in that bundle.
 */
@Version("1.4.0")
package io.pistream.gstreamer.jna;

import org.osgi.annotation.versioning.Version;
