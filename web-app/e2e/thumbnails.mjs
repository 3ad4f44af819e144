// The web app's stream list in headless Chromium: each of the device's streams shows a snapshot thumbnail taken
// through the HTTP API with the page's session cookie, and the thumbnail is refreshed while the page is visible.
//
// Usage: node e2e/thumbnails.mjs <app url> <ca.crt>
// Prints one JSON line: { streams, thumbnails, width, height, refreshed }
import { launchTrusting, openApp } from "./chromium.mjs";

const [url, caFile] = process.argv.slice(2);
if (!url || !caFile) {
  console.error("usage: node e2e/thumbnails.mjs <app url> <ca.crt>");
  process.exit(2);
}

const browser = await launchTrusting(caFile);
const result = {};
try {
  const page = browser.page;
  await openApp(page, url);
  // a cold capture may take a couple of seconds to give its first picture (functions, not strings: the app's
  // Content-Security-Policy forbids evaluating strings)
  await page.waitForFunction(() => [...document.querySelectorAll("#streams img.thumbnail")]
    .some((img) => img.complete && img.naturalWidth > 0 && !img.hidden), null, { timeout: 30000 });
  const first = await page.evaluate(() => {
    const shown = [...document.querySelectorAll("#streams img.thumbnail")]
      .filter((img) => img.complete && img.naturalWidth > 0 && !img.hidden);
    return { streams: document.querySelectorAll("#streams button").length, thumbnails: shown.length,
      width: shown[0].naturalWidth, height: shown[0].naturalHeight, src: shown[0].src };
  });
  // refreshed every 5 s: a new address (with its time) that loads a picture again
  await page.waitForFunction((previous) => [...document.querySelectorAll("#streams img.thumbnail")]
    .some((img) => img.src !== previous && img.complete && img.naturalWidth > 0), first.src, { timeout: 20000 });
  Object.assign(result, { streams: first.streams, thumbnails: first.thumbnails, width: first.width,
    height: first.height, refreshed: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
