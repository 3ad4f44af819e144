// A WHEP viewer and a WHIP sender in headless Chromium (npm whip-whep clients) that stay connected until the
// device ends their sessions: what an administrator's "end this session" looks like from the browser.
//
// Usage: node e2e/held.mjs <page url https://localhost:PORT/> <whep url> <whip url> <ca.crt> [seconds to wait]
// Environment: PISTREAM_TOKEN, a bearer token with the roles viewer and talk.
// Prints three JSON lines on stdout:
//  1. once both are connected and frames are decoded: { whep, whip, framesDecoded }  (whep/whip: the Location URLs)
//  2. { asked: true } once it read a line on stdin (the device is about to be asked to end the sessions)
//  3. once both connections left "connected", or the wait is over:
//     { whepState, whipState, whepLeftMs, whipLeftMs, framesAtEnd, framesLater }
//     *LeftMs: milliseconds from the stdin line to the connection leaving "connected" (-1: it did not; negative:
//     it left before);
//     framesLater: frames decoded 2 s after framesAtEnd (equal when the device stopped sending).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { launchTrusting } from "./chromium.mjs";

const [pageUrl, whepUrl, whipUrl, caFile, waitSeconds = "60"] = process.argv.slice(2);
const token = process.env.PISTREAM_TOKEN;
if (!pageUrl || !whepUrl || !whipUrl || !caFile || !token) {
  console.error("usage: PISTREAM_TOKEN=... node e2e/held.mjs <page url> <whep url> <whip url> <ca.crt> [seconds]");
  process.exit(2);
}

const require = createRequire(import.meta.url);
const library = (name) => readFileSync(require.resolve(`whip-whep/${name}`), "utf8").replace(/^export /gm, "");
const lines = createInterface({ input: process.stdin });
const nextLine = () => new Promise((resolve) => lines.once("line", resolve));

const browser = await launchTrusting(caFile, { bypassCSP: true });
try {
  const page = browser.page;
  await page.goto(pageUrl, { waitUntil: "load" });
  await page.evaluate(`${library("whep.js")}\n${library("whip.js")}\nwindow.WHEPClient = WHEPClient;`
    + "window.WHIPClient = WHIPClient;");
  const started = await page.evaluate(async ({ whepUrl, whipUrl, token }) => {
    const viewer = new RTCPeerConnection();
    viewer.addTransceiver("video", { direction: "recvonly" });
    viewer.addTransceiver("audio", { direction: "recvonly" });
    window.whep = new WHEPClient();
    window.whepPc = viewer;
    await window.whep.view(viewer, whepUrl, token);

    const media = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } });
    const sender = new RTCPeerConnection();
    for (const track of media.getTracks()) {
      sender.addTransceiver(track, { direction: "sendonly" });
    }
    window.whip = new WHIPClient();
    window.whipPc = sender;
    await window.whip.publish(sender, whipUrl, token);

    // each connection's state as it changes, with when: a state that flickers is still seen
    window.left = {};
    for (const [name, pc] of [["whep", viewer], ["whip", sender]]) {
      pc.addEventListener("connectionstatechange", () => {
        if (pc.connectionState !== "connected" && window.watching && !window.left[name]) {
          window.left[name] = { state: pc.connectionState, at: performance.now() };
        }
      });
    }
    return { whep: window.whep.resourceURL.toString(), whip: window.whip.resourceURL.toString() };
  }, { whepUrl, whipUrl, token });

  const frames = () => page.evaluate(async () => {
    let decoded = 0;
    (await window.whepPc.getStats()).forEach((r) => {
      if (r.type === "inbound-rtp" && r.kind === "video") decoded = r.framesDecoded || 0;
    });
    return decoded;
  });
  await page.waitForFunction(() => window.whepPc.connectionState === "connected"
    && window.whipPc.connectionState === "connected", null, { timeout: 30000 });
  const deadline = Date.now() + 30000;
  let decoded = 0;
  while ((decoded = await frames()) < 10 && Date.now() < deadline) {
    await page.waitForTimeout(100);
  }
  if (decoded < 10) {
    throw new Error(`connected, but only ${decoded} frames decoded in 30 s`);
  }
  await page.evaluate(() => { window.watching = true; });
  console.log(JSON.stringify({ ...started, framesDecoded: decoded }));

  // the test is about to end the sessions: from now on it counts (acknowledged, so that it sends after this)
  await nextLine();
  await page.evaluate(() => { window.endAskedAt = performance.now(); });
  console.log(JSON.stringify({ asked: true }));
  await page.waitForFunction(() => window.left.whep && window.left.whip, null,
    { timeout: Number(waitSeconds) * 1000 }).catch(() => {});
  const left = await page.evaluate(() => {
    const of = (name, pc) => window.left[name] ? { state: window.left[name].state,
      ms: Math.round(window.left[name].at - window.endAskedAt) } : { state: pc.connectionState, ms: -1 };
    return { whep: of("whep", window.whepPc), whip: of("whip", window.whipPc) };
  });
  const framesAtEnd = await frames();
  await page.waitForTimeout(2000);
  console.log(JSON.stringify({ whepState: left.whep.state, whipState: left.whip.state, whepLeftMs: left.whep.ms,
    whipLeftMs: left.whip.ms, framesAtEnd, framesLater: await frames() }));
} finally {
  lines.close();
  await browser.close();
}
