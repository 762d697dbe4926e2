// Stops the rectify_web and rectify_server that stack_setup.ts started
// (by their process ids) and removes their data directory.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

export default async function teardown(): Promise<void> {
  const dir = process.env.RECTIFY_WEB_TEST_DIR;
  if (!dir) return;
  const pids = readFileSync(join(dir, "pids"), "utf8").trim().split(" ").map(Number);
  for (const pid of pids.reverse()) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  // Give them a moment to stop before their directory goes.
  await new Promise((r) => setTimeout(r, 1000));
  rmSync(dir, { recursive: true, force: true });
}
