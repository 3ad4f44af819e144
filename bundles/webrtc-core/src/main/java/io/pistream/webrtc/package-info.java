/**
 * WebRTC status for the shell, the REST API and other bundles: the producer's and the receiver's signalling
 * connections and their sessions, and a handle on the receiver to consume a browser's stream.
 */
@Version("1.1.0")
package io.pistream.webrtc;

import org.osgi.annotation.versioning.Version;
