// Vite builds the app into dist/: index.html plus content-hashed files
// under dist/assets/, which rectify_web serves with a one-year cache.
// No inline script or style is emitted, so the gateway's strict
// Content-Security-Policy holds. public/ (manifest, icons) is copied as is.
// The plugin below writes dist/sw.js from sw/sw.js with the list of files
// the service worker keeps for offline starts and a version that changes
// whenever any of them does.
/// <reference types="node" />
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));

function serviceWorker(): Plugin {
  return {
    name: "rectify-service-worker",
    apply: "build",
    enforce: "post",
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => f !== "sw.js");
      const publicFiles = ["manifest.webmanifest", ...readdirSync(join(here, "public", "icons")).map((f) => `icons/${f}`)];
      const precache = ["/", "/index.html", ...[...files, ...publicFiles].filter((f) => f !== "index.html").map((f) => `/${f}`)];
      const hash = createHash("sha256");
      for (const name of files.sort()) {
        const item = bundle[name];
        hash.update(name);
        hash.update(item.type === "chunk" ? item.code : item.source);
      }
      const source = readFileSync(join(here, "sw", "sw.js"), "utf8")
        .replace("__VERSION__", hash.digest("hex").slice(0, 16))
        .replace("__PRECACHE__", JSON.stringify(precache));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}

export default defineConfig({
  plugins: [serviceWorker()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    target: "es2020",
    // Everything as files: data: URLs and inline modules would need CSP
    // exceptions.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
});
