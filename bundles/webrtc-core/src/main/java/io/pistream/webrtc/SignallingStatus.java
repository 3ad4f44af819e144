package io.pistream.webrtc;

/**
 * The state of a connection to a signalling server.
 *
 * @param url        the server
 * @param state      {@code CONNECTING}, {@code REGISTERING}, {@code REGISTERED}, {@code WAITING} (to reconnect),
 *                   {@code STOPPED}, or {@code REFUSED} (the configuration was refused: see lastError)
 * @param peerId     the id the server gave this peer, or null when not connected
 * @param reconnects how many times the connection was made again after it was lost
 * @param lastError  why the connection was last lost or refused, or null
 */
public record SignallingStatus(String url, String state, String peerId, int reconnects, String lastError) {
}
