// Glass-to-glass latency of the WebRTC stream as Chromium shows it, and the time to the first frame of new
// sessions. The device's latency probe stamps each frame with its capture time as a band of black and white
// blocks (io.pistream.latency.FrameStamp); for every frame Chromium presents, the page copies the band to a
// canvas, reads the time back and subtracts it from the moment the frame is expected on screen.
//
// Usage: node e2e/latency.mjs <app url> <ca.crt> <frames> <sessions>
// Prints one JSON line: { latenciesMs: [...], unreadable, width, height, firstFrameMs: [...] }
import { launchTrusting, openApp, watchAndTimeFirstFrame } from "./chromium.mjs";

const [url, caFile, framesArg, sessionsArg] = process.argv.slice(2);
if (!url || !caFile) {
  console.error("usage: node e2e/latency.mjs <app url> <ca.crt> <frames> <sessions>");
  process.exit(2);
}
const frames = Number(framesArg || 300);
const sessions = Math.max(1, Number(sessionsArg || 1));

// Runs in the page: collects `count` latencies from the player, reading the stamp as FrameStamp.read does.
function collectLatencies(count) {
  const COLUMNS = 40;
  const player = document.getElementById("player");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const check = (time) => {
    let sum = 0;
    for (let nibble = 0; nibble < 8; nibble++) sum += Math.floor(time / 2 ** (4 * nibble)) % 16;
    return sum % 16;
  };
  const read = (width, height) => {
    const block = width / COLUMNS;
    const y = Math.round(1.5 * block);
    const radius = Math.max(0, Math.floor(block / 4));
    if (block < 2 || y + radius >= height) return null;
    const pixels = context.getImageData(0, y - radius, width, 2 * radius + 1);
    const values = [];
    for (let column = 0; column < COLUMNS; column++) {
      const cx = Math.floor((column + 0.5) * block);
      let sum = 0;
      let n = 0;
      for (let dy = 0; dy <= 2 * radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const i = 4 * (dy * width + cx + dx);
          sum += 0.299 * pixels.data[i] + 0.587 * pixels.data[i + 1] + 0.114 * pixels.data[i + 2];
          n++;
        }
      }
      values.push(sum / n);
    }
    const white = Math.min(values[0], values[COLUMNS - 1]);
    const black = Math.max(values[1], values[COLUMNS - 2]);
    if (white - black < 64) return null;
    const threshold = (white + black) / 2;
    let time = 0;
    for (let bit = 0; bit < 32; bit++) time = time * 2 + (values[2 + bit] > threshold ? 1 : 0);
    let sum = 0;
    for (let bit = 0; bit < 4; bit++) sum = sum * 2 + (values[34 + bit] > threshold ? 1 : 0);
    return sum === check(time) ? time : null;
  };
  return new Promise((resolve) => {
    const latencies = [];
    let unreadable = 0;
    const onFrame = (now, metadata) => {
      const width = metadata.width;
      const height = metadata.height;
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      context.drawImage(player, 0, 0, width, height);
      const stamp = read(width, height);
      if (stamp === null) {
        unreadable++;
      } else {
        const shownAt = performance.timeOrigin + metadata.expectedDisplayTime;
        let elapsed = (Math.round(shownAt) % 2 ** 32) - stamp;
        if (elapsed < -(2 ** 31)) elapsed += 2 ** 32;
        latencies.push(elapsed);
      }
      if (latencies.length >= count || unreadable > 10 * count) {
        resolve({ latencies, unreadable, width, height });
      } else {
        player.requestVideoFrameCallback(onFrame);
      }
    };
    player.requestVideoFrameCallback(onFrame);
  });
}

const browser = await launchTrusting(caFile);
const result = { firstFrameMs: [] };
try {
  const page = browser.page;
  for (let session = 0; session < sessions; session++) {
    const stream = await openApp(page, url);
    result.firstFrameMs.push(await watchAndTimeFirstFrame(page, stream));
    if (session === 0) {
      await page.waitForTimeout(2000); // past the first seconds, while the bitrate estimate settles
      const measured = await page.evaluate(collectLatencies, frames);
      Object.assign(result, { latenciesMs: measured.latencies, unreadable: measured.unreadable,
        width: measured.width, height: measured.height });
    }
    await page.click("#stop-watching");
    await page.waitForTimeout(1000);
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
