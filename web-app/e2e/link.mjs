// A viewer of the web app in headless Chromium that reports, once a second, what its link delivers: what
// getStats says of the inbound video, and the longest wait between two frames shown (requestVideoFrameCallback).
// The benchmarks run it on links they shape (a rate cap, packet loss) to see how the stream adapts.
//
// Usage: node e2e/link.mjs <app url> <ca.crt> [seconds]   (runs until killed when no seconds are given)
// Environment: PISTREAM_USER and PISTREAM_PASSWORD, for the page's login form.
// Prints JSON lines on stdout: first, once the first frame is shown,
//   { event: "watching", firstFrameMs, nack, rtx, codec }  (nack, rtx: negotiated for the video, from the answer)
// then one a second:
//   { t (epoch ms), connection (the peer connection's state), fps (framesPerSecond), width, height, bytesReceived,
//     kbps, framesDecoded, freezeCount, totalFreezesDuration (s), nackCount, pliCount, packetsLost,
//     longestGapMs (since the last line), longestNewGapMs (of the waits that began since the last line), tier (of the
//     device's quality ladder, when the device tells), tierReason (why, as the device says) }
//   (without the video's figures once the session has ended)
import { launchTrusting, openApp, watchAndTimeFirstFrame } from "./chromium.mjs";

const [url, caFile, secondsArg] = process.argv.slice(2);
if (!url || !caFile) {
  console.error("usage: node e2e/link.mjs <app url> <ca.crt> [seconds]");
  process.exit(2);
}
const endAt = secondsArg ? Date.now() + Number(secondsArg) * 1000 : Infinity;

// Runs in the page before its scripts: keeps the peer connections the app (gstwebrtc-api) makes, whose raw
// statistics the app does not expose.
function trackPeerConnections() {
  const Original = window.RTCPeerConnection;
  const made = [];
  window.pistreamPeerConnections = made;
  window.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args);
      made.push(this);
    }
  };
}

// Runs in the page once the player shows frames: records the longest wait between two frames it presents.
function watchFrameGaps() {
  const player = document.getElementById("player");
  const gaps = { last: performance.now(), longest: 0, longestNew: 0, lineStart: performance.now() };
  window.pistreamFrameGaps = gaps;
  const onFrame = (now) => {
    gaps.longest = Math.max(gaps.longest, now - gaps.last);
    if (gaps.last >= gaps.lineStart) {
      gaps.longestNew = Math.max(gaps.longestNew, now - gaps.last);
    }
    gaps.last = now;
    player.requestVideoFrameCallback(onFrame);
  };
  player.requestVideoFrameCallback(onFrame);
}

// Runs in the page: what was negotiated for the video (in the answer, so what both sides do).
function negotiated() {
  const pc = window.pistreamPeerConnections.filter((p) => p.connectionState !== "closed").pop();
  const sdp = (pc && pc.currentLocalDescription && pc.currentLocalDescription.sdp) || "";
  const video = sdp.split(/\r?\nm=/).find((section) => section.startsWith("video")) || "";
  const codec = (video.match(/a=rtpmap:\d+ ([A-Za-z0-9]+)\//) || [])[1] || "";
  return { nack: /a=rtcp-fb:\d+ nack\r?\n/.test(video), rtx: /a=rtpmap:\d+ rtx\//i.test(video), codec };
}

// Runs in the page: one second's figures.
async function sample() {
  const pc = window.pistreamPeerConnections.filter((p) => p.connectionState !== "closed").pop();
  const line = { t: Date.now(), connection: pc ? pc.connectionState : "none" };
  if (pc) {
    (await pc.getStats()).forEach((entry) => {
      if (entry.type === "inbound-rtp" && entry.kind === "video") {
        Object.assign(line, {
          fps: entry.framesPerSecond || 0, width: entry.frameWidth || 0, height: entry.frameHeight || 0,
          bytesReceived: entry.bytesReceived || 0, framesDecoded: entry.framesDecoded || 0,
          freezeCount: entry.freezeCount || 0, totalFreezesDuration: entry.totalFreezesDuration || 0,
          nackCount: entry.nackCount || 0, pliCount: entry.pliCount || 0, packetsLost: entry.packetsLost || 0,
          statsAt: entry.timestamp,
        });
      }
    });
  }
  // the tier of the quality ladder the device says it sends this session (the app asks every other second)
  const device = window.pistreamDevice;
  if (device) {
    line.tier = device.tier;
    line.tierReason = device.reason;
  }
  const gaps = window.pistreamFrameGaps;
  const now = performance.now();
  // a freeze still going on counts up to now
  line.longestGapMs = Math.round(Math.max(gaps.longest, now - gaps.last));
  // the same, of the waits that began after the last line only (not one that was going on then)
  line.longestNewGapMs = Math.round(Math.max(gaps.longestNew, gaps.last >= gaps.lineStart ? now - gaps.last : 0));
  gaps.longest = 0;
  gaps.longestNew = 0;
  gaps.lineStart = now;
  return line;
}

// SIGTERM ends the loop below, which closes the browser itself
const browser = await launchTrusting(caFile, { handleSIGTERM: false, handleSIGINT: false });
let stopping = false;
const stop = async () => {
  stopping = true;
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
try {
  const page = browser.page;
  await page.addInitScript(trackPeerConnections);
  const stream = await openApp(page, url);
  const firstFrameMs = await watchAndTimeFirstFrame(page, stream);
  await page.evaluate(watchFrameGaps);
  console.log(JSON.stringify({ event: "watching", firstFrameMs, ...await page.evaluate(negotiated) }));
  let previous = null;
  let next = Date.now() + 1000;
  while (!stopping && Date.now() < endAt) {
    await page.waitForTimeout(Math.max(0, next - Date.now()));
    next += 1000;
    const line = await page.evaluate(sample);
    line.kbps = previous && line.statsAt > previous.statsAt
      ? Math.round(((line.bytesReceived - previous.bytesReceived) * 8) / (line.statsAt - previous.statsAt)) : 0;
    previous = line;
    const { statsAt, ...printed } = line;
    console.log(JSON.stringify(printed));
  }
} finally {
  await browser.close();
}
