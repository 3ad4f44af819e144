// pistream browser app: lists the device's streams, plays one, sends the browser's microphone and camera.
// Signalling goes to the device itself (same origin), on the page's own secure connection.
import GstWebRTCAPI from "./lib/gstwebrtc-api.js";
import { describe, deviceView, summarize } from "./stats.js";

const $ = (id) => document.getElementById(id);
const signallingUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/signalling`;

let api = null;
let watching = null;
let statsTimer = null;
let sending = null;
let sentStream = null;

// --- logging in -----------------------------------------------------------------------------------------------
// The page itself is public; the streams are not: the session cookie (HttpOnly, set by POST /api/session)
// goes with the signalling WebSocket, which the device refuses without it.
async function currentUser() {
  const response = await fetch("/api/session", { credentials: "same-origin", cache: "no-store" });
  return response.ok ? response.json() : null;
}

async function sendJson(method, path, body) {
  const response = await fetch(path, {
    method, credentials: "same-origin", cache: "no-store",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(answer.error || `the device answered ${response.status}`);
  }
  return answer;
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    const me = await sendJson("POST", "/api/session", { user: $("login-user").value, password: $("login-password").value });
    $("login-password").value = "";
    enter(me);
  } catch (error) {
    $("login-error").textContent = error.message;
  }
});

$("password-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("password-error").textContent = "";
  try {
    await sendJson("POST", "/api/password", { password: $("new-password").value });
    $("new-password").value = "";
    $("password-section").hidden = true;
  } catch (error) {
    $("password-error").textContent = error.message;
  }
});
$("password-later").addEventListener("click", () => { $("password-section").hidden = true; });

$("logout").addEventListener("click", async () => {
  stopWatching();
  stopSending();
  await fetch("/api/session", { method: "DELETE", credentials: "same-origin" }).catch(() => {});
  location.reload();
});

function enter(me) {
  $("login-section").hidden = true;
  $("app").hidden = false;
  $("auth-off").hidden = me.authentication !== "off";
  $("user").textContent = me.user;
  $("user").hidden = me.authentication === "off";
  $("logout").hidden = me.authentication === "off";
  $("password-section").hidden = !me.initialPassword;
  $("send-section").hidden = !me.roles.includes("talk");
  connect();
}

function connect() {
  if (api) {
    return;
  }
  api = new GstWebRTCAPI({
    signalingServerUrl: signallingUrl,
    // the device's receiver plays or records producers that carry this meta
    meta: { name: `Browser (${navigator.platform || "unknown"})`, "pistream-role": "talk-back" },
    // on a local network host candidates are enough; no outside STUN server is contacted
    webrtcConfig: { iceServers: [], bundlePolicy: "max-bundle" },
  });
  api.registerConnectionListener({
    connected: () => setConnection("connected", "connected"),
    disconnected: () => setConnection("disconnected", "reconnecting…"),
  });
  api.registerPeerListener({
    producerAdded: (producer) => {
      producers.set(producer.id, producer);
      renderProducers();
    },
    producerRemoved: (producer) => {
      producers.delete(producer.id);
      renderProducers();
      if (watching && watching.peerId === producer.id) {
        stopWatching("the stream ended");
      }
    },
  });
}

function setConnection(state, text) {
  $("connection").dataset.state = state;
  $("connection").textContent = text;
}

// --- the list of streams ----------------------------------------------------------------------------------
const producers = new Map();

function renderProducers() {
  const list = $("streams");
  list.replaceChildren();
  const own = sending ? sending.peerId : null;
  const shown = [...producers.values()].filter((producer) => producer.id !== own
    && !(producer.meta && producer.meta["pistream-role"] === "talk-back"));
  if (shown.length === 0) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = "No stream yet";
    list.append(empty);
    return;
  }
  for (const producer of shown) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.producerId = producer.id;
    button.textContent = (producer.meta && producer.meta.name) || producer.id;
    const thumbnail = snapshotOf(producer);
    if (thumbnail) {
      button.prepend(thumbnail);
    }
    button.addEventListener("click", () => watch(producer));
    item.append(button);
    list.append(item);
  }
}

// A still of each of the device's own streams, from the HTTP API (same origin: the session cookie goes along).
// Refreshed every few seconds while the page is visible; hidden when the device takes no snapshots.
const THUMBNAIL_REFRESH_MS = 5000;

function snapshotOf(producer) {
  const meta = producer.meta || {};
  if (meta.device !== "pistream" || typeof meta.video !== "string") {
    return null;
  }
  const img = document.createElement("img");
  img.className = "thumbnail";
  img.alt = "";
  img.width = 160;
  img.dataset.snapshot = `/api/v1/sources/${encodeURIComponent(meta.video)}/snapshot.jpg?width=160&quality=60`;
  img.addEventListener("error", () => { img.hidden = true; });
  img.addEventListener("load", () => { img.hidden = false; });
  img.src = img.dataset.snapshot;
  return img;
}

setInterval(() => {
  if (document.visibilityState !== "visible") {
    return;
  }
  for (const img of document.querySelectorAll("#streams img.thumbnail")) {
    img.src = `${img.dataset.snapshot}&t=${Date.now()}`;
  }
}, THUMBNAIL_REFRESH_MS);

// --- watching -----------------------------------------------------------------------------------------------
// The setting is kept in the browser: WHEP or the signalling session of gstwebrtc-api; both end at the same producer.
$("use-whep").checked = localStorage.getItem("pistream.whep") === "on";
$("use-whep").addEventListener("change", (event) => {
  localStorage.setItem("pistream.whep", event.target.checked ? "on" : "off");
});

function watch(producer) {
  stopWatching();
  if ($("use-whep").checked) {
    watchOverWhep(producer);
    return;
  }
  const session = api.createConsumerSession(producer.id);
  if (!session) {
    $("stats").textContent = "cannot watch: not connected to the device";
    return;
  }
  watching = session;
  window.pistreamWatchStartedAt = performance.now();
  $("player-section").hidden = false;
  $("player-title").textContent = `Watching ${(producer.meta && producer.meta.name) || producer.id}`;
  session.addEventListener("streamsChanged", () => {
    if (session.streams.length > 0) {
      $("player").srcObject = session.streams[0];
      $("player").play().catch(() => { /* autoplay of sound needs a click: the mute button */ });
    }
  });
  session.addEventListener("error", (event) => {
    $("stats").textContent = `error: ${event.message}`;
  });
  session.addEventListener("closed", () => {
    if (watching === session) {
      stopWatching("the stream was closed");
    }
  });
  session.connect();
  pollStats(() => session.rtcPeerConnection, () => session.sessionId);
}

function showPlayer(producer) {
  window.pistreamWatchStartedAt = performance.now();
  $("player-section").hidden = false;
  $("player-title").textContent = `Watching ${(producer.meta && producer.meta.name) || producer.id}`;
}

// Once a second: the browser's own figures; every other second, also what the device says of this session (the
// tier of the quality ladder it sends, and why), from the sessions the API lists.
function pollStats(peerConnection, sessionId) {
  let previous = null;
  let device = null;
  let tick = 0;
  statsTimer = setInterval(async () => {
    const pc = peerConnection();
    if (!pc) {
      return;
    }
    if (tick++ % 2 === 0 && sessionId()) {
      device = await fetch("/api/v1/webrtc/sessions", { credentials: "same-origin", cache: "no-store" })
        .then((response) => (response.ok ? response.json() : null))
        .then((sessions) => deviceView(sessions, sessionId()))
        .catch(() => device);
    }
    const summary = summarize(await pc.getStats(), previous);
    previous = summary;
    window.pistreamStats = summary; // read by the end-to-end tests
    window.pistreamDevice = device;
    $("stats").textContent = describe(summary, device);
  }, 1000);
}

// WHEP: POST the offer (candidates included: the device answers only once its own are all in its answer) to
// /whep/<the producer's video source>, with the session cookie; DELETE the session's Location to stop.
async function watchOverWhep(producer) {
  const source = (producer.meta && (producer.meta.video || producer.meta.audio)) || "camera";
  const pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: "max-bundle" });
  let resource = null;
  const session = {
    peerId: producer.id,
    close() {
      pc.close();
      if (resource) {
        fetch(resource, { method: "DELETE", credentials: "same-origin" }).catch(() => {});
      }
    },
  };
  watching = session;
  showPlayer(producer);
  try {
    pc.addTransceiver("video", { direction: "recvonly" });
    pc.addTransceiver("audio", { direction: "recvonly" });
    const stream = new MediaStream();
    pc.ontrack = (event) => {
      stream.addTrack(event.track);
      // once: assigning it again would restart the player
      if ($("player").srcObject !== stream) {
        $("player").srcObject = stream;
        $("player").play().catch(() => { /* autoplay of sound needs a click: the mute button */ });
      }
    };
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, 2000);
      pc.addEventListener("icegatheringstatechange", () => {
        if (pc.iceGatheringState === "complete") {
          clearTimeout(timer);
          resolve();
        }
      });
      if (pc.iceGatheringState === "complete") {
        resolve();
      }
    });
    const response = await fetch(`/whep/${encodeURIComponent(source)}`, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/sdp" }, body: pc.localDescription.sdp,
    });
    if (response.status !== 201) {
      const answer = await response.json().catch(() => ({}));
      throw new Error(answer.error || `the device answered ${response.status}`);
    }
    resource = new URL(response.headers.get("Location"), location.href);
    if (watching !== session) {
      session.close();
      return;
    }
    await pc.setRemoteDescription({ type: "answer", sdp: await response.text() });
    pc.addEventListener("connectionstatechange", () => {
      if (pc.connectionState === "failed" && watching === session) {
        stopWatching("the connection failed");
      }
    });
    // the session id is the last part of the resource's path
    pollStats(() => pc, () => decodeURIComponent(resource.pathname.split("/").pop()));
  } catch (error) {
    if (watching === session) {
      stopWatching(`error: ${error.message}`);
    } else {
      session.close();
    }
  }
}

function stopWatching(reason) {
  if (statsTimer) {
    clearInterval(statsTimer);
    statsTimer = null;
  }
  if (watching) {
    const session = watching;
    watching = null;
    session.close();
  }
  $("player").srcObject = null;
  $("stats").textContent = reason || "–";
}

$("stop-watching").addEventListener("click", () => {
  stopWatching();
  $("player-section").hidden = true;
});
$("mute").addEventListener("click", () => {
  const player = $("player");
  player.muted = !player.muted;
  $("mute").textContent = player.muted ? "Unmute" : "Mute";
  player.play().catch(() => {});
});
$("player").muted = true; // browsers start media with sound only after a click
$("volume").addEventListener("input", (event) => { $("player").volume = Number(event.target.value); });
$("fullscreen").addEventListener("click", () => $("player").requestFullscreen && $("player").requestFullscreen());

// --- sending the microphone and camera to the device --------------------------------------------------------
$("send").addEventListener("click", async () => {
  $("send-error").textContent = "";
  const constraints = { audio: $("send-audio").checked, video: $("send-video").checked };
  if (!constraints.audio && !constraints.video) {
    $("send-error").textContent = "Choose the microphone, the camera or both.";
    return;
  }
  try {
    sentStream = await navigator.mediaDevices.getUserMedia(constraints);
  } catch (error) {
    $("send-error").textContent = `The browser refused the microphone or camera: ${error.message}`;
    return;
  }
  sending = api.createProducerSession(sentStream);
  if (!sending || !sending.start()) {
    $("send-error").textContent = "Cannot send: not connected to the device.";
    stopSending();
    return;
  }
  sending.addEventListener("closed", () => stopSending());
  sending.addEventListener("error", (event) => { $("send-error").textContent = event.message; });
  $("sending").hidden = false;
  $("stop-sending").hidden = false;
  $("send").hidden = true;
});

function stopSending() {
  if (sending) {
    const session = sending;
    sending = null;
    session.close();
  }
  if (sentStream) {
    sentStream.getTracks().forEach((track) => track.stop());
    sentStream = null;
  }
  $("sending").hidden = true;
  $("stop-sending").hidden = true;
  $("send").hidden = false;
}

$("stop-sending").addEventListener("click", stopSending);
window.addEventListener("beforeunload", () => { stopWatching(); stopSending(); });

currentUser().then((me) => {
  if (me) {
    enter(me);
  } else {
    $("login-section").hidden = false;
    $("connection").textContent = "not logged in";
  }
}).catch((error) => {
  $("login-section").hidden = false;
  $("login-error").textContent = `The device did not answer: ${error.message}`;
});
