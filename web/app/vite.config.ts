// Vite builds the app into dist/: index.html plus content-hashed files
// under dist/assets/, which rectify_web serves with a one-year cache.
// No inline script or style is emitted, so the gateway's strict
// Content-Security-Policy holds.
import { defineConfig } from "vite";

export default defineConfig({
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
