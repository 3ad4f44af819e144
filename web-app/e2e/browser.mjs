// End-to-end check of the web app in headless Chromium, which trusts the device's CA through the certificate
// store of a fresh profile (no certificate-error bypass). It watches the first stream, measures the time from the
// click to the first decoded frame, takes a screenshot, and optionally sends the fake camera and microphone.
//
// Usage: node e2e/browser.mjs <app url> <ca.crt> <screenshot.png> [seconds to send]
// Prints one JSON line: { firstFrameMs, framesDecoded, framesDecodedLater, audioPackets, width, height, sentSeconds }
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [url, caFile, screenshot, sendSeconds] = process.argv.slice(2);
if (!url || !caFile || !screenshot) {
  console.error("usage: node e2e/browser.mjs <app url> <ca.crt> <screenshot.png> [seconds to send]");
  process.exit(2);
}

// Chromium on Linux reads trusted CAs from $HOME/.pki/nssdb: give it a home of its own with only our CA added.
const home = mkdtempSync(join(tmpdir(), "pistream-chromium-"));
const nss = `sql:${join(home, ".pki", "nssdb")}`;
execFileSync("mkdir", ["-p", join(home, ".pki", "nssdb")]);
execFileSync("certutil", ["-d", nss, "-N", "--empty-password"]);
execFileSync("certutil", ["-d", nss, "-A", "-t", "C,,", "-n", "pistream-ca", "-i", caFile]);

const context = await chromium.launchPersistentContext(join(home, "profile"), {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  env: { ...process.env, HOME: home },
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required",
    // a device reached on loopback: allow loopback ICE candidates and show real addresses instead of mDNS names
    "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
  ],
});
const result = {};
try {
  const page = context.pages()[0] || await context.newPage();
  page.on("console", (message) => console.error(`[page] ${message.text()}`));
  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("#connection[data-state=connected]", { timeout: 20000 });
  const stream = await page.waitForSelector("#streams button", { timeout: 20000 });
  await page.evaluate(() => {
    const player = document.getElementById("player");
    const mark = () => { window.pistreamFirstFrameAt = performance.now(); };
    player.requestVideoFrameCallback(mark);
  });
  await stream.click();
  await page.waitForFunction(() => window.pistreamFirstFrameAt !== undefined, null, { timeout: 20000 });
  result.firstFrameMs = Math.round(await page.evaluate(() => window.pistreamFirstFrameAt - window.pistreamWatchStartedAt));
  await page.waitForFunction(() => window.pistreamStats && window.pistreamStats.framesDecoded > 0, null,
    { timeout: 20000 });
  const first = await page.evaluate(() => window.pistreamStats);
  await page.waitForTimeout(3000);
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
  await context.close();
  rmSync(home, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
