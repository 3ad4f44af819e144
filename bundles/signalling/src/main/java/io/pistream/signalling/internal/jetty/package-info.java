/**
 * The Jetty 9.4 (Pax Web 8) adapter of the signalling server: WebSocket servlet, root upgrade filter,
 * per-connection sockets with bounded send queues and keep-alive pings, handshake checks, and the DS
 * component that registers them on the HTTP whiteboard. The only package that imports Jetty.
 */
package io.pistream.signalling.internal.jetty;
