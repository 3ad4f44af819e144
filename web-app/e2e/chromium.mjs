// Headless Chromium for the end-to-end checks and benchmarks, trusting the device's CA through the certificate
// store of a fresh profile (no certificate-error bypass).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export async function launchTrusting(caFile, contextOptions = {}) {
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
    ...contextOptions,
  });
  const page = context.pages()[0] || await context.newPage();
  page.on("console", (message) => console.error(`[page] ${message.text()}`));
  return {
    page,
    async close() {
      await context.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Opens the app and waits until it is connected to the signalling server and lists a stream. */
export async function openApp(page, url) {
  await page.goto(url, { waitUntil: "load" });
  await logIn(page);
  await page.waitForSelector("#connection[data-state=connected]", { timeout: 20000 });
  return page.waitForSelector("#streams button", { timeout: 20000 });
}

/** Clicks a stream's button and returns the milliseconds from the click to the first frame shown. */
export async function watchAndTimeFirstFrame(page, streamButton) {
  await page.evaluate(() => {
    window.pistreamFirstFrameAt = undefined;
    const player = document.getElementById("player");
    player.requestVideoFrameCallback(() => { window.pistreamFirstFrameAt = performance.now(); });
  });
  await streamButton.click();
  await page.waitForFunction(() => window.pistreamFirstFrameAt !== undefined, null, { timeout: 20000 });
  return Math.round(await page.evaluate(() => window.pistreamFirstFrameAt - window.pistreamWatchStartedAt));
}

/**
 * Logs in through the page's own form with PISTREAM_USER and PISTREAM_PASSWORD from the environment, as a person
 * would; does nothing when the device has authentication off (the app opens without the form).
 */
export async function logIn(page) {
  const form = await Promise.race([
    page.waitForSelector("#login-section:not([hidden])", { timeout: 20000 }).then(() => true),
    page.waitForSelector("#app:not([hidden])", { timeout: 20000 }).then(() => false),
  ]);
  if (!form) {
    return;
  }
  const user = process.env.PISTREAM_USER;
  const password = process.env.PISTREAM_PASSWORD;
  if (!user || !password) {
    throw new Error("the device asks for a login: set PISTREAM_USER and PISTREAM_PASSWORD");
  }
  await page.fill("#login-user", user);
  await page.fill("#login-password", password);
  await page.click("#login-submit");
  await page.waitForSelector("#app:not([hidden])", { timeout: 20000 });
}
