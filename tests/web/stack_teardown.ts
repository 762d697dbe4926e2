// Stops the rectify_web and rectify_server that stack_setup.ts started
// (by their process ids) and removes their data directory.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { stopStack } from "./stack_setup";

export default async function teardown(): Promise<void> {
  const dir = process.env.RECTIFY_WEB_TEST_DIR;
  if (!dir) return;
  const pids = readFileSync(join(dir, "pids"), "utf8").trim().split(" ").map(Number);
  await stopStack({ url: "", dir, pids });
}
