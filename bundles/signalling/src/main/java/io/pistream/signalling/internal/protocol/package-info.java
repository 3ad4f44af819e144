/**
 * The signalling protocol of GStreamer's gst-webrtc-signalling-server (gst-plugins-rs
 * {@code net/webrtc/protocol}): message model and JSON codec.
 */
package io.pistream.signalling.internal.protocol;
