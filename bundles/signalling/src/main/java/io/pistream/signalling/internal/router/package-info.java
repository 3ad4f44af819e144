/**
 * The session router: peers, roles, sessions and the routing rules of the reference
 * gst-webrtc-signalling-server, with no web-server dependency. {@link
 * io.pistream.signalling.internal.router.SessionRouter} is the sequential state machine, {@link
 * io.pistream.signalling.internal.router.SignallingRouter} runs it on one thread.
 */
package io.pistream.signalling.internal.router;
