// Turns RTCPeerConnection statistics into the short line shown under the player.

/** Picks the figures of the inbound video, inbound audio and selected candidate pair from a stats report. */
export function summarize(report, previous) {
  const summary = { width: 0, height: 0, fps: 0, framesDecoded: 0, bytes: 0, timestamp: 0, rtt: null,
    audioPackets: 0, kbps: 0, videoPackets: null, videoLost: null, lossPercent: null };
  report.forEach((entry) => {
    if (entry.type === "inbound-rtp" && entry.kind === "video") {
      summary.width = entry.frameWidth || 0;
      summary.height = entry.frameHeight || 0;
      summary.fps = entry.framesPerSecond || 0;
      summary.framesDecoded = entry.framesDecoded || 0;
      summary.bytes += entry.bytesReceived || 0;
      if (entry.packetsReceived !== undefined && entry.packetsLost !== undefined) {
        summary.videoPackets = entry.packetsReceived;
        summary.videoLost = entry.packetsLost;
      }
      summary.timestamp = entry.timestamp;
    } else if (entry.type === "inbound-rtp" && entry.kind === "audio") {
      summary.audioPackets = entry.packetsReceived || 0;
      summary.bytes += entry.bytesReceived || 0;
    } else if (entry.type === "candidate-pair" && entry.nominated && entry.currentRoundTripTime !== undefined) {
      summary.rtt = entry.currentRoundTripTime;
    }
  });
  if (previous && previous.timestamp && summary.timestamp > previous.timestamp) {
    summary.kbps = Math.round(((summary.bytes - previous.bytes) * 8) / (summary.timestamp - previous.timestamp));
  }
  if (previous && previous.videoPackets !== null && summary.videoPackets !== null) {
    const received = summary.videoPackets - previous.videoPackets;
    const lost = Math.max(0, summary.videoLost - previous.videoLost);
    if (received + lost > 0) {
      summary.lossPercent = (100 * lost) / (received + lost);
    }
  }
  return summary;
}

/**
 * What the device says of this viewer's session (GET /api/v1/webrtc/sessions): the tier of the quality ladder it
 * sends and why, or null when the session is not listed.
 */
export function deviceView(sessions, sessionId) {
  const own = Array.isArray(sessions) ? sessions.find((session) => session.sessionId === sessionId) : null;
  if (!own || own.tier === null || own.tier === undefined) {
    return null;
  }
  return { tier: own.tier, width: own.tierWidth, height: own.tierHeight, reason: own.tierReason,
    estimateKbps: own.estimateKbps };
}

/**
 * The line shown to the user, e.g. "1280×720 · 30 fps · 2010 kbit/s · RTT 3 ms", then the loss when packets were
 * lost, and the device's tier when it sent one: "tier 1 of the ladder (down: 23 % of packets lost)".
 */
export function describe(summary, device = null) {
  const parts = [];
  parts.push(summary.width ? `${summary.width}×${summary.height}` : "no picture yet");
  parts.push(`${Math.round(summary.fps)} fps`);
  parts.push(`${summary.kbps} kbit/s`);
  parts.push(summary.rtt === null ? "RTT –" : `RTT ${Math.round(summary.rtt * 1000)} ms`);
  if (summary.lossPercent) {
    parts.push(`loss ${summary.lossPercent.toFixed(1)} %`);
  }
  if (device) {
    const top = device.tier === 0 ? "top tier" : `tier ${device.tier} of the ladder`;
    parts.push(device.reason ? `${top} (${device.reason})` : top);
    if (device.estimateKbps > 0) {
      parts.push(`estimate ${device.estimateKbps} kbit/s`);
    }
  }
  return parts.join(" · ");
}
