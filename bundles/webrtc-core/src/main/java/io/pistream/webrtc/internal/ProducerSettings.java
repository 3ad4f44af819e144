package io.pistream.webrtc.internal;

import java.net.URI;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.pistream.webrtc.internal.session.ProducerSession;
import io.pistream.webrtc.internal.session.SessionSettings;

/**
 * What a producer needs to run: a checked configuration of the producer bundle, or the picture-in-picture
 * producer of the receiver. {@code problem} names every refused key, or is null.
 *
 * @param signallingToken the bearer token for a signalling server other than the device's own, empty for none
 *     (the device's own server gets the device token: {@link SignallingAccess})
 */
public record ProducerSettings(String name, URI signallingUrl, Path trustCa, String signallingToken,
        ProducerSession.Plan plan, SessionSettings sessionSettings, int maxSessions, String problem) {

    /** For code outside OSGi (tests, benchmarks). */
    public static ProducerSettings of(String name, URI signallingUrl, ProducerSession.Plan plan,
            SessionSettings sessionSettings, int maxSessions) {
        return new ProducerSettings(name, signallingUrl, null, "", plan, sessionSettings, maxSessions, null);
    }

    /** Without the token, a secret. */
    @Override
    public String toString() {
        return "ProducerSettings[name=" + name + ", signallingUrl=" + signallingUrl + ", trustCa=" + trustCa
                + ", signallingToken=" + (signallingToken.isEmpty() ? "none" : "***") + ", plan=" + plan
                + ", sessionSettings=" + sessionSettings + ", maxSessions=" + maxSessions + ", problem=" + problem
                + "]";
    }

    /** What viewers see in {@code list}: the name, and what this producer offers. */
    public ObjectNode meta() {
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("name", name);
        meta.put("device", "pistream");
        meta.put("instance", Instance.ID);
        if (plan.hasVideo()) {
            meta.put("video", plan.videoSource());
            ArrayNode codecs = meta.putArray("video-codecs");
            plan.videoCodecs().forEach(codec -> codecs.add(codec.encodingName()));
        }
        if (plan.hasAudio()) {
            meta.put("audio", plan.audioSource());
            meta.putArray("audio-codecs").add("OPUS");
        }
        return meta;
    }
}
