import { test } from "node:test";
import assert from "node:assert/strict";
import { describe, deviceView, summarize } from "../src/stats.js";

const report = (entries) => new Map(entries.map((entry, index) => [String(index), entry]));

test("summarizes video, audio and round trip time", () => {
  const first = summarize(report([
    { type: "inbound-rtp", kind: "video", frameWidth: 1280, frameHeight: 720, framesPerSecond: 30,
      framesDecoded: 10, bytesReceived: 100000, timestamp: 1000 },
    { type: "inbound-rtp", kind: "audio", packetsReceived: 50, bytesReceived: 5000 },
    { type: "candidate-pair", nominated: true, currentRoundTripTime: 0.004 },
  ]));
  const second = summarize(report([
    { type: "inbound-rtp", kind: "video", frameWidth: 1280, frameHeight: 720, framesPerSecond: 30,
      framesDecoded: 40, bytesReceived: 350000, timestamp: 2000 },
    { type: "inbound-rtp", kind: "audio", packetsReceived: 100, bytesReceived: 13000 },
  ]), first);
  assert.equal(second.kbps, 2064);
  assert.equal(second.audioPackets, 100);
  assert.equal(describe(first), "1280×720 · 30 fps · 0 kbit/s · RTT 4 ms");
  assert.equal(describe(second), "1280×720 · 30 fps · 2064 kbit/s · RTT –");
});

test("says when there is no picture yet", () => {
  assert.equal(describe(summarize(report([]))), "no picture yet · 0 fps · 0 kbit/s · RTT –");
});

test("shows the loss since the last reading and the device's tier with its reason", () => {
  const first = summarize(report([
    { type: "inbound-rtp", kind: "video", frameWidth: 1280, frameHeight: 720, framesPerSecond: 30,
      packetsReceived: 1000, packetsLost: 10, bytesReceived: 100000, timestamp: 1000 },
  ]));
  const second = summarize(report([
    { type: "inbound-rtp", kind: "video", frameWidth: 640, frameHeight: 360, framesPerSecond: 28,
      packetsReceived: 1180, packetsLost: 30, bytesReceived: 175000, timestamp: 2000 },
  ]), first);
  assert.equal(second.lossPercent, 10);
  const device = deviceView([
    { sessionId: "other", tier: 0, tierWidth: 1280, tierHeight: 720, tierReason: "start on the top tier" },
    { sessionId: "mine", tier: 1, tierWidth: 640, tierHeight: 360, tierReason: "down: 23 % of packets lost",
      estimateKbps: -1 },
  ], "mine");
  assert.equal(describe(second, device),
    "640×360 · 28 fps · 600 kbit/s · RTT – · loss 10.0 % · tier 1 of the ladder (down: 23 % of packets lost)");
  assert.equal(deviceView([{ sessionId: "mine", tier: null }], "mine"), null, "a session without video");
  assert.equal(deviceView({ error: "forbidden" }, "mine"), null, "an answer that is not a list");
});
