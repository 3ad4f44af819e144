// Turns RTCPeerConnection statistics into the short line shown under the player.

/** Picks the figures of the inbound video, inbound audio and selected candidate pair from a stats report. */
export function summarize(report, previous) {
  const summary = { width: 0, height: 0, fps: 0, framesDecoded: 0, bytes: 0, timestamp: 0, rtt: null,
    audioPackets: 0, kbps: 0 };
  report.forEach((entry) => {
    if (entry.type === "inbound-rtp" && entry.kind === "video") {
      summary.width = entry.frameWidth || 0;
      summary.height = entry.frameHeight || 0;
      summary.fps = entry.framesPerSecond || 0;
      summary.framesDecoded = entry.framesDecoded || 0;
      summary.bytes += entry.bytesReceived || 0;
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
  return summary;
}

/** The line shown to the user, e.g. "1280×720 · 30 fps · 2010 kbit/s · RTT 3 ms". */
export function describe(summary) {
  const parts = [];
  parts.push(summary.width ? `${summary.width}×${summary.height}` : "no picture yet");
  parts.push(`${Math.round(summary.fps)} fps`);
  parts.push(`${summary.kbps} kbit/s`);
  parts.push(summary.rtt === null ? "RTT –" : `RTT ${Math.round(summary.rtt * 1000)} ms`);
  return parts.join(" · ");
}
