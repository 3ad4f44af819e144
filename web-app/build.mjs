// Copies the app and the gstwebrtc-api browser module into dist/ (no bundler needed: both are plain ES modules).
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "lib"), { recursive: true });
cpSync(join(root, "src"), dist, { recursive: true });
cpSync(join(root, "node_modules", "gstwebrtc-api", "dist", "gstwebrtc-api-3.0.0.esm.js"),
  join(dist, "lib", "gstwebrtc-api.js"));
console.log("web app built into", dist);
