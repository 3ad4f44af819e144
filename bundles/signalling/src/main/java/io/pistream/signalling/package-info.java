/**
 * Status API of the WebRTC signalling server: which peers are connected, with which roles and meta,
 * and which sessions link them. The server itself speaks the protocol of GStreamer's
 * {@code gst-webrtc-signalling-server} over WebSocket.
 */
@org.osgi.annotation.versioning.Version("1.1.0")
package io.pistream.signalling;
