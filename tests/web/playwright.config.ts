// Playwright for the browser specs of tests/web: Debian's Chromium
// (/usr/bin/chromium, never a downloaded browser), a tablet-sized window,
// and one real rectify_server + rectify_web for the run (stack.ts).
// Run through scripts/test, or from web/app: `npm test` (after
// `npm run build` and a bazel build of both binaries and //client:rectifyctl,
// which imports the demo units directory into the shared stack).
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: ".",
  testMatch: /.*\.spec\.ts/,
  outputDir: process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results",
  globalSetup: require.resolve("./stack_setup.ts"),
  globalTeardown: require.resolve("./stack_teardown.ts"),
  workers: 1,
  retries: 0,
  // Generous: the suite runs beside builds on a 2-core machine.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: process.env.RECTIFY_WEB_TEST_JSON ?? "/tmp/rectify-web-test-results.json" }]],
  use: {
    browserName: "chromium",
    viewport: { width: 1024, height: 768 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    launchOptions: {
      executablePath: process.env.RECTIFY_CHROMIUM ?? "/usr/bin/chromium",
      // A UTF-8 locale for the browser whatever the caller's: without one
      // (a bare CI root has no LANG) Chromium cannot write the Chinese
      // file name a download suggests and falls back to "download".
      env: { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" },
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
