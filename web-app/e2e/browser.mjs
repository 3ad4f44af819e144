// End-to-end check of the web app in headless Chromium, which trusts the device's CA through the certificate
// store of a fresh profile (no certificate-error bypass). It watches the first stream, measures the time from the
// click to the first decoded frame, takes a screenshot, and optionally sends the fake camera and microphone.
//
// Usage: node e2e/browser.mjs <app url> <ca.crt> <screenshot.png> [seconds to send]
// Prints one JSON line: { firstFrameMs, framesDecoded, framesDecodedLater, audioPackets, width, height, sentSeconds }
import { launchTrusting, openApp, watchAndTimeFirstFrame } from "./chromium.mjs";

const [url, caFile, screenshot, sendSeconds] = process.argv.slice(2);
if (!url || !caFile || !screenshot) {
  console.error("usage: node e2e/browser.mjs <app url> <ca.crt> <screenshot.png> [seconds to send]");
  process.exit(2);
}

const browser = await launchTrusting(caFile);
const result = {};
try {
  const page = browser.page;
  const stream = await openApp(page, url);
  result.firstFrameMs = await watchAndTimeFirstFrame(page, stream);
  await page.waitForFunction(() => window.pistreamStats && window.pistreamStats.framesDecoded > 0, null,
    { timeout: 20000 });
  const first = await page.evaluate(() => window.pistreamStats);
  // the stream goes on: 30 more frames (a second at full rate), however long a loaded machine takes, and more
  // than a second of Opus (50 packets of 20 ms)
  await page.waitForFunction((count) => window.pistreamStats.framesDecoded > count + 30
    && window.pistreamStats.audioPackets > 50, first.framesDecoded, { timeout: 30000 }).catch(() => {});
  const later = await page.evaluate(() => window.pistreamStats);
  Object.assign(result, { framesDecoded: first.framesDecoded, framesDecodedLater: later.framesDecoded,
    audioPackets: later.audioPackets, width: later.width, height: later.height });
  await page.screenshot({ path: screenshot, fullPage: true });
  if (sendSeconds) {
    await page.check("#send-video");
    await page.check("#send-audio");
    await page.click("#send");
    await page.waitForSelector("#sending:not([hidden])", { timeout: 10000 });
    await page.waitForTimeout(Number(sendSeconds) * 1000);
    await page.click("#stop-sending");
    result.sentSeconds = Number(sendSeconds);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
