// The field app's load benchmark (bench/web/field_load.bench.ts): the
// browser specs' configuration (Debian's Chromium, one real rectify_server
// and rectify_web) with this folder as the test folder. Run from web/app:
//   NODE_PATH=$PWD/node_modules node_modules/.bin/playwright test \
//     --config ../../bench/web/playwright.bench.config.ts
import { defineConfig } from "@playwright/test";
import base from "../../tests/web/playwright.config";

export default defineConfig({
  ...base,
  testDir: ".",
  testMatch: /.*\.bench\.ts/,
  reporter: [["list"]],
  timeout: 300_000,
});
