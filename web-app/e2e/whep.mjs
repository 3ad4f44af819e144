// WHEP playback and WHIP sending in headless Chromium with a WHIP/WHEP client library the project did not write
// (npm whip-whep: WHEPClient, WHIPClient), loaded into a page of the device. The player posts to another origin of
// the same device (127.0.0.1 while the page is on localhost), so the CORS preflight and the exposed Location header
// are exercised as a page of an allowed origin meets them; the sender posts to its own origin.
//
// Usage: node e2e/whep.mjs <page url https://localhost:PORT/> <whep url> <whip url> <ca.crt> <seconds to send>
// Environment: PISTREAM_TOKEN, a bearer token with the roles viewer and talk; with PISTREAM_USER and
// PISTREAM_PASSWORD it also logs in to the web app and plays the first stream with its "Play over WHEP" switch on.
// Prints one JSON line: { firstFrameMs, framesDecoded, framesDecodedLater, audioPackets, width, height,
//                         whepDeleted, sentSeconds, whipDeleted, appFramesDecoded }
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { launchTrusting, openApp } from "./chromium.mjs";

const [pageUrl, whepUrl, whipUrl, caFile, sendSeconds] = process.argv.slice(2);
const token = process.env.PISTREAM_TOKEN;
if (!pageUrl || !whepUrl || !whipUrl || !caFile || !token) {
  console.error("usage: PISTREAM_TOKEN=... node e2e/whep.mjs <page url> <whep url> <whip url> <ca.crt> [seconds]");
  process.exit(2);
}

// the library's own files, as npm installed them; their ES module exports become globals of the page
const require = createRequire(import.meta.url);
const library = (name) => readFileSync(require.resolve(`whip-whep/${name}`), "utf8").replace(/^export /gm, "");

// the app's Content-Security-Policy allows no other origin to be fetched: the page here is only a host for the
// library, the device's own headers are what is tested
const browser = await launchTrusting(caFile, { bypassCSP: true });
const result = {};
try {
  const page = browser.page;
  await page.goto(pageUrl, { waitUntil: "load" });
  await page.evaluate(`${library("whep.js")}\n${library("whip.js")}\nwindow.WHEPClient = WHEPClient;`
    + "window.WHIPClient = WHIPClient;");

  // the time from the POST to the first decoded frame, as the peer connection's own statistics tell it
  await page.evaluate(async ({ url, token }) => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addTransceiver("audio", { direction: "recvonly" });
    window.whepStartedAt = performance.now();
    window.whep = new WHEPClient();
    window.whepPc = pc;
    await window.whep.view(pc, url, token);
  }, { url: whepUrl, token });
  // polled inside the page: waitForFunction takes a promise for a truthy answer
  const framesAbove = (count, timeout) => page.evaluate(async ({ count, timeout }) => {
    const end = performance.now() + timeout;
    while (performance.now() < end) {
      let frames = 0;
      (await window.whepPc.getStats()).forEach((r) => {
        if (r.type === "inbound-rtp" && r.kind === "video") frames = r.framesDecoded || 0;
      });
      if (frames > count) {
        return { frames, at: performance.now() };
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { frames: -1, at: performance.now() };
  }, { count, timeout });
  const firstFrame = await framesAbove(0, 20000);
  if (firstFrame.frames < 0) {
    throw new Error("no frame decoded within 20 s of the WHEP POST");
  }
  result.firstFrameMs = Math.round(firstFrame.at - await page.evaluate(() => window.whepStartedAt));

  const stats = () => page.evaluate(async () => {
    const out = { framesDecoded: 0, audioPackets: 0, width: 0, height: 0 };
    (await window.whepPc.getStats()).forEach((report) => {
      if (report.type === "inbound-rtp" && report.kind === "video") {
        out.framesDecoded = report.framesDecoded || 0;
        out.width = report.frameWidth || 0;
        out.height = report.frameHeight || 0;
      }
      if (report.type === "inbound-rtp" && report.kind === "audio") {
        out.audioPackets = report.packetsReceived || 0;
      }
    });
    return out;
  });
  const first = await stats();
  // the stream goes on: 30 more frames (a second at full rate), however long a loaded machine takes
  await framesAbove(first.framesDecoded + 30, 30000);
  // and audio goes on too: Opus packets of 20 ms, 50 a second (a second of video may hold a few less)
  let later = await stats();
  for (const deadline = Date.now() + 10000; later.audioPackets <= 50 && Date.now() < deadline;) {
    await page.waitForTimeout(200);
    later = await stats();
  }
  Object.assign(result, { framesDecoded: first.framesDecoded, framesDecodedLater: later.framesDecoded,
    audioPackets: later.audioPackets, width: later.width, height: later.height });
  // stop() closes the peer connection and DELETEs the session
  result.whepDeleted = await page.evaluate(async () => {
    const location = window.whep.resourceURL.toString();
    await window.whep.stop();
    return location;
  });

  if (sendSeconds) {
    await page.evaluate(async ({ url, token }) => {
      const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
      const pc = new RTCPeerConnection();
      for (const track of media.getTracks()) {
        pc.addTransceiver(track, { direction: "sendonly" });
      }
      window.whip = new WHIPClient();
      window.whipPc = pc;
      await window.whip.publish(pc, url, token);
    }, { url: whipUrl, token });
    await page.waitForFunction(() => window.whipPc.connectionState === "connected", null, { timeout: 20000 });
    await page.waitForTimeout(Number(sendSeconds) * 1000);
    result.sentSeconds = Number(sendSeconds);
    result.whipDeleted = await page.evaluate(async () => {
      const location = window.whip.resourceURL.toString();
      await window.whip.stop();
      return location;
    });
  }

  if (process.env.PISTREAM_USER) {
    const stream = await openApp(page, pageUrl);
    await page.check("#use-whep");
    await stream.click();
    await page.waitForFunction(() => window.pistreamStats && window.pistreamStats.framesDecoded > 30, null,
      { timeout: 30000 });
    result.appFramesDecoded = await page.evaluate(() => window.pistreamStats.framesDecoded);
    await page.click("#stop-watching");
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
